package io.cleanroom.eval.model;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The rows a bank trains on: one per account, raw feature values in a fixed order, and the label (1
 * for an alert account). Stored as {@code model/features/<bank>.csv}: {@code
 * account_id,<feature>...,label}.
 */
public record FeatureRows(List<String> features, List<String> accounts, double[][] x, int[] y) {

  public FeatureRows {
    features = List.copyOf(features);
    accounts = List.copyOf(accounts);
    if (accounts.size() != x.length || x.length != y.length) {
      throw new IllegalArgumentException(
          accounts.size() + " accounts, " + x.length + " rows, " + y.length + " labels");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != features.size()) {
        throw new IllegalArgumentException(
            "row " + i + " has " + x[i].length + " values for " + features.size() + " features");
      }
    }
  }

  public int size() {
    return x.length;
  }

  /** The number of rows labelled 1. */
  public long positives() {
    long p = 0;
    for (int v : y) {
      p += v;
    }
    return p;
  }

  /** These rows with only the named features, in the order given. */
  public FeatureRows select(List<String> names) {
    int[] idx = new int[names.size()];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = features.indexOf(names.get(k));
      if (idx[k] < 0) {
        throw new IllegalArgumentException("no feature " + names.get(k) + " in " + features);
      }
    }
    double[][] out = new double[x.length][idx.length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < idx.length; k++) {
        out[i][k] = x[i][idx[k]];
      }
    }
    return new FeatureRows(names, accounts, out, y);
  }

  /** The rows of several banks one after another (same features). */
  public static FeatureRows concat(List<FeatureRows> parts) {
    List<String> acc = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    int n = 0;
    for (FeatureRows p : parts) {
      if (!p.features.equals(parts.get(0).features)) {
        throw new IllegalArgumentException("feature lists differ: " + p.features);
      }
      n += p.size();
    }
    int[] y = new int[n];
    int k = 0;
    for (FeatureRows p : parts) {
      acc.addAll(p.accounts);
      xs.addAll(Arrays.asList(p.x));
      for (int v : p.y) {
        y[k++] = v;
      }
    }
    return new FeatureRows(parts.get(0).features, acc, xs.toArray(new double[0][]), y);
  }

  /** The rows as a Tribuo dataset of raw feature values labelled alert or normal. */
  public MutableDataset<Label> toDataset(String description) {
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> ds =
        new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
    for (int i = 0; i < x.length; i++) {
      Example<Label> e =
          new ArrayExample<>(
              y[i] == 1 ? LogisticModel.ALERT : LogisticModel.NORMAL,
              features.toArray(new String[0]),
              x[i].clone());
      ds.add(e);
    }
    return ds;
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("account_id," + String.join(",", features) + ",label\n");
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        line.setLength(0);
        line.append(accounts.get(i));
        for (double v : x[i]) {
          line.append(',').append(String.format(Locale.ROOT, "%.9g", v));
        }
        line.append(',').append(y[i]).append('\n');
        w.write(line.toString());
      }
    }
  }

  /** Reads a file written by {@link #write}; errors name the file and line. */
  public static FeatureRows read(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new IOException(file + ": empty file");
      }
      String[] cols = header.split(",", -1);
      if (cols.length < 3
          || !cols[0].equals("account_id")
          || !cols[cols.length - 1].equals("label")) {
        throw new IOException(file + ", line 1: expected account_id,<features>,label");
      }
      List<String> names = Arrays.asList(cols).subList(1, cols.length - 1);
      List<String> acc = new ArrayList<>();
      List<double[]> xs = new ArrayList<>();
      List<Integer> ys = new ArrayList<>();
      String line;
      int no = 1;
      while ((line = r.readLine()) != null) {
        no++;
        String[] f = line.split(",", -1);
        if (f.length != cols.length) {
          throw new IOException(
              file + ", line " + no + ": " + f.length + " fields, expected " + cols.length);
        }
        double[] v = new double[names.size()];
        try {
          for (int j = 0; j < v.length; j++) {
            v[j] = Double.parseDouble(f[j + 1]);
          }
          ys.add(Integer.parseInt(f[f.length - 1]));
        } catch (NumberFormatException e) {
          throw new IOException(file + ", line " + no + ": not a number: " + e.getMessage(), e);
        }
        acc.add(f[0]);
        xs.add(v);
      }
      return new FeatureRows(
          names,
          acc,
          xs.toArray(new double[0][]),
          ys.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
