package io.cleanroom.eval.sum;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The layout of a summable vector: consecutive named blocks of entries. Built only from public
 * parameters, so that every bank derives the same layout.
 *
 * <p>{@link #id} names the layout and a digest of its blocks; used in the secure sum's step label,
 * it makes banks whose layouts differ fail the sum instead of adding misaligned numbers. Layout
 * names are lower-case letters, digits and {@code _}.
 */
public final class Layout {
  private final String name;
  private final Map<String, int[]> blocks;
  private final int size;
  private final String id;

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,40}");

  private Layout(String name, Map<String, int[]> blocks, int size) {
    this.name = name;
    this.blocks = blocks;
    this.size = size;
    StringBuilder text = new StringBuilder(name);
    blocks.forEach((b, range) -> text.append('\n').append(b).append(':').append(range[1]));
    this.id = name + ":" + sha256(text.toString()).substring(0, 16);
  }

  /** A builder of a layout named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /**
   * The name and a digest of the block names and lengths, e.g. {@code fairness:1f0c9a…}: lower-case
   * letters, digits, {@code _} and {@code :}, fit for a protocol step label.
   */
  public String id() {
    return id;
  }

  /** The number of entries. */
  public int size() {
    return size;
  }

  /** The block names in order. */
  public List<String> blocks() {
    return List.copyOf(blocks.keySet());
  }

  /** The index of the first entry of {@code block}. */
  public int offset(String block) {
    return range(block)[0];
  }

  /** The number of entries of {@code block}. */
  public int length(String block) {
    return range(block)[1];
  }

  /** A vector of zeros of this layout's size. */
  public long[] zeros() {
    return new long[size];
  }

  /** The entries of {@code block} in {@code vector}. */
  public long[] slice(long[] vector, String block) {
    requireSize(vector);
    int[] r = range(block);
    return Arrays.copyOfRange(vector, r[0], r[0] + r[1]);
  }

  /** Fails unless {@code vector} has this layout's size. */
  public void requireSize(long[] vector) {
    if (vector.length != size) {
      throw new IllegalArgumentException(
          "vector has " + vector.length + " entries, layout " + name + " has " + size);
    }
  }

  private int[] range(String block) {
    int[] r = blocks.get(block);
    if (r == null) {
      throw new IllegalArgumentException("layout " + name + " has no block " + block);
    }
    return r;
  }

  private static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return id + " (" + size + " entries)";
  }

  /** Appends blocks in order; block names must be unique. */
  public static final class Builder {
    private final String name;
    private final Map<String, int[]> blocks = new LinkedHashMap<>();
    private int size;

    private Builder(String name) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "layout name must be 1 to 40 lower-case letters, digits or _, got " + name);
      }
      this.name = name;
    }

    /** Appends a block of {@code length} entries. */
    public Builder block(String block, int length) {
      if (length < 1) {
        throw new IllegalArgumentException("block " + block + " must have at least 1 entry");
      }
      if (blocks.putIfAbsent(block, new int[] {size, length}) != null) {
        throw new IllegalArgumentException("layout " + name + " already has block " + block);
      }
      size = Math.addExact(size, length);
      return this;
    }

    public Layout build() {
      if (blocks.isEmpty()) {
        throw new IllegalStateException("layout " + name + " has no blocks");
      }
      return new Layout(name, new LinkedHashMap<>(blocks), size);
    }
  }
}
