package io.cleanroom.testbed.reference;

import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.CrossBankFlows;
import io.cleanroom.node.data.Customers;
import io.cleanroom.node.data.DataException;
import io.cleanroom.node.data.Flows;
import io.cleanroom.node.risk.RiskParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linked-account risk (design §4) in plaintext on the pooled files, exactly as {@code
 * tools/reference.py} computes it: flows between accounts of the dataset, identity neighbours by
 * normalised identifier of the same kind (and accounts of one customer at one bank), λ_i by what i
 * has, T iterations of r ← (1−δ)·r + δ·W·r in double precision. Also the same computation as one
 * bank alone would run it: its own seeds, the transfers touching it, identities among its own
 * accounts.
 */
public final class RiskReference {

  private final List<String> banks;
  private final Map<String, BankData> data = new LinkedHashMap<>();
  private final Map<String, Integer> offset = new HashMap<>();
  private final int n;

  private RiskReference(List<String> banks, Path dataset) throws IOException, DataException {
    this.banks = List.copyOf(banks);
    int total = 0;
    for (String b : banks) {
      BankData d = BankData.load(dataset.resolve(b), b);
      data.put(b, d);
      offset.put(b, total);
      total += d.accountCount();
    }
    this.n = total;
  }

  /** Loads and validates every bank folder of the dataset. */
  public static RiskReference load(Path dataset, List<String> banks)
      throws IOException, DataException {
    return new RiskReference(banks, dataset);
  }

  public List<String> banks() {
    return banks;
  }

  public BankData bank(String b) {
    return data.get(b);
  }

  /** The global index of account {@code a} of bank {@code b}. */
  public int index(String b, int a) {
    return offset.get(b) + a;
  }

  public int accounts() {
    return n;
  }

  /** Seed of every account, by global index. */
  public double[] seeds(RiskParameters p) {
    double[] s = new double[n];
    for (String b : banks) {
      BankData d = data.get(b);
      for (int a = 0; a < d.accountCount(); a++) {
        AlertLevel l = d.alertLevel(a);
        s[index(b, a)] =
            l == AlertLevel.ALERT ? p.alertSeed() : l == AlertLevel.GREY ? p.greySeed() : 0;
      }
    }
    return s;
  }

  /** Risk of every account as the federation computes it, by global index. */
  public double[] federated(RiskParameters p) {
    return federatedTimed(p).risk();
  }

  /**
   * The federated risk with the time spent joining the banks' records in plaintext (flows by
   * account number, identities by identifier) and propagating.
   */
  public record Timed(double[] risk, double linkSeconds, double propagateSeconds) {}

  public Timed federatedTimed(RiskParameters p) {
    long t0 = System.nanoTime();
    Sparse flows = new Sparse();
    for (String b : banks) {
      BankData d = data.get(b);
      addIntra(flows, b, d.flows());
      addCross(flows, b, d.incoming());
    }
    long[] identity = identityPairs(null);
    long t1 = System.nanoTime();
    double[] r = propagate(flows, identity, seeds(p), p);
    long t2 = System.nanoTime();
    return new Timed(r, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /** Risk of every account of {@code bank} as that bank alone computes it, by global index. */
  public double[] alone(String bank, RiskParameters p) {
    BankData d = data.get(bank);
    Sparse flows = new Sparse();
    addIntra(flows, bank, d.flows());
    addCross(flows, bank, d.incoming());
    addCross(flows, bank, d.outgoing());
    double[] s = seeds(p);
    for (int i = 0; i < n; i++) {
      if (i < offset.get(bank) || i >= offset.get(bank) + d.accountCount()) {
        s[i] = 0;
      }
    }
    return propagate(flows, identityPairs(bank), s, p);
  }

  private void addIntra(Sparse flows, String b, Flows f) {
    for (int e = 0; e < f.size(); e++) {
      flows.add(index(b, f.src(e)), index(b, f.dst(e)), f.amount(e));
    }
  }

  private void addCross(Sparse flows, String b, CrossBankFlows f) {
    for (int e = 0; e < f.size(); e++) {
      BankData other = data.get(f.foreignBank(e));
      int j = other == null ? -1 : other.indexOf(f.foreignAccount(e));
      if (j < 0) {
        continue;
      }
      int own = index(b, f.account(e));
      int foreign = index(f.foreignBank(e), j);
      if (f.incoming()) {
        flows.add(foreign, own, f.amount(e));
      } else {
        flows.add(own, foreign, f.amount(e));
      }
    }
  }

  /**
   * Ordered pairs (j, i) of distinct accounts sharing an identifier, within {@code only} if set.
   */
  private long[] identityPairs(String only) {
    Map<String, List<Integer>> groups = new HashMap<>();
    for (String b : banks) {
      if (only != null && !only.equals(b)) {
        continue;
      }
      BankData d = data.get(b);
      Customers c = d.customers();
      for (int a = 0; a < d.accountCount(); a++) {
        int cu = d.customerOf(a);
        int g = index(b, a);
        member(groups, "cust|" + b + "|" + c.customerId(cu), g);
        member(groups, "nid|" + c.nationalId(cu), c.nationalId(cu), g);
        member(groups, "email|" + c.email(cu), c.email(cu), g);
        member(groups, "phone|" + c.phone(cu), c.phone(cu), g);
        for (String dev : c.devices(cu)) {
          member(groups, "dev|" + dev, dev, g);
        }
      }
    }
    long[] pairs = new long[16];
    int k = 0;
    for (List<Integer> m : groups.values()) {
      for (int x : m) {
        for (int y : m) {
          if (x != y) {
            if (k == pairs.length) {
              pairs = Arrays.copyOf(pairs, k * 2);
            }
            pairs[k++] = ((long) x << 32) | y;
          }
        }
      }
    }
    long[] p = Arrays.copyOf(pairs, k);
    Arrays.sort(p);
    int u = 0;
    for (int i = 0; i < p.length; i++) {
      if (i == 0 || p[i] != p[i - 1]) {
        p[u++] = p[i];
      }
    }
    return Arrays.copyOf(p, u);
  }

  private static void member(Map<String, List<Integer>> groups, String key, String value, int g) {
    if (value != null && !value.isEmpty()) {
      member(groups, key, g);
    }
  }

  private static void member(Map<String, List<Integer>> groups, String key, int g) {
    List<Integer> m = groups.computeIfAbsent(key, k -> new ArrayList<>(2));
    if (!m.contains(g)) {
      m.add(g);
    }
  }

  private double[] propagate(Sparse flows, long[] identity, double[] s, RiskParameters p) {
    double[] received = new double[n];
    for (int e = 0; e < flows.size; e++) {
      received[flows.dst[e]] += flows.amount[e];
    }
    int[] degree = new int[n];
    for (long pair : identity) {
      degree[(int) pair]++;
    }
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      boolean f = received[i] > 0;
      boolean id = degree[i] > 0;
      lambda[i] = f && id ? p.lambda() : id ? 1.0 : 0.0;
    }
    double[] r = s.clone();
    for (int t = 0; t < p.iterations(); t++) {
      double[] wr = new double[n];
      for (int e = 0; e < flows.size; e++) {
        int i = flows.dst[e];
        wr[i] += (1 - lambda[i]) * flows.amount[e] / received[i] * r[flows.src[e]];
      }
      for (long pair : identity) {
        int j = (int) (pair >>> 32);
        int i = (int) pair;
        wr[i] += lambda[i] / degree[i] * r[j];
      }
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] = (1 - p.delta()) * r[i] + p.delta() * wr[i];
      }
      r = next;
    }
    return r;
  }

  /** A growable list of weighted edges. */
  private static final class Sparse {
    int[] src = new int[16];
    int[] dst = new int[16];
    double[] amount = new double[16];
    int size;

    void add(int s, int d, double a) {
      if (size == src.length) {
        src = Arrays.copyOf(src, size * 2);
        dst = Arrays.copyOf(dst, size * 2);
        amount = Arrays.copyOf(amount, size * 2);
      }
      src[size] = s;
      dst[size] = d;
      amount[size] = a;
      size++;
    }
  }
}
