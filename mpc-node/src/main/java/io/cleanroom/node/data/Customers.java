package io.cleanroom.node.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The customers of one bank, indexed 0..{@link #count()}−1 in the order of {@code customers.csv},
 * with identifiers already normalised by {@link Identifiers} and empty optional values as {@code
 * null}. Dates are epoch days ({@link java.time.LocalDate#ofEpochDay} converts).
 *
 * <p>Immutable.
 */
public final class Customers {
  private final KeyTable ids;
  private final String[] nationalId;
  private final String[] email;
  private final String[] phone;
  private final int[] birthDay;
  private final byte[] gender;
  private final String[] nationality;
  private final String[] region;
  private final int[] deviceStart;
  private final String[] devices;

  private Customers(Builder b, int[] deviceStart, String[] devices) {
    int n = b.ids.size();
    b.ids.trim();
    this.ids = b.ids;
    this.nationalId = Arrays.copyOf(b.nationalId, n);
    this.email = Arrays.copyOf(b.email, n);
    this.phone = Arrays.copyOf(b.phone, n);
    this.birthDay = Arrays.copyOf(b.birthDay, n);
    this.gender = Arrays.copyOf(b.gender, n);
    this.nationality = Arrays.copyOf(b.nationality, n);
    this.region = Arrays.copyOf(b.region, n);
    this.deviceStart = deviceStart;
    this.devices = devices;
  }

  /** The number of customers. */
  public int count() {
    return nationalId.length;
  }

  /** The {@code customer_id} of customer {@code c}. */
  public String customerId(int c) {
    return ids.key(c);
  }

  /** The index of the customer with this exact {@code customer_id}, or -1. */
  public int indexOf(String customerId) {
    return ids.find(0, customerId);
  }

  /** The normalised national id of customer {@code c}; never empty. */
  public String nationalId(int c) {
    return nationalId[c];
  }

  /** The normalised e-mail address of customer {@code c}, or {@code null}. */
  public String email(int c) {
    return email[c];
  }

  /** The normalised phone number of customer {@code c}, or {@code null}. */
  public String phone(int c) {
    return phone[c];
  }

  /** The normalised, distinct device ids of customer {@code c} in file order; may be empty. */
  public List<String> devices(int c) {
    return Collections.unmodifiableList(
        Arrays.asList(devices).subList(deviceStart[c], deviceStart[c + 1]));
  }

  /** The birth date of customer {@code c}, as an epoch day. */
  public int birthDate(int c) {
    return birthDay[c];
  }

  /** The gender of customer {@code c}. */
  public Gender gender(int c) {
    return Gender.of(gender[c]);
  }

  /** The nationality of customer {@code c}, an ISO 3166 alpha-2 code such as {@code TW}. */
  public String nationality(int c) {
    return nationality[c];
  }

  /** The region of customer {@code c} as the bank wrote it, or {@code null}. */
  public String region(int c) {
    return region[c];
  }

  /** Collects customers and devices while the files stream past. */
  static final class Builder {
    private final KeyTable ids = new KeyTable();
    private final Map<String, String> shared = new HashMap<>();
    private int[] lines = new int[16];
    private String[] nationalId = new String[16];
    private String[] email = new String[16];
    private String[] phone = new String[16];
    private int[] birthDay = new int[16];
    private byte[] gender = new byte[16];
    private String[] nationality = new String[16];
    private String[] region = new String[16];
    private int[] deviceOwner = new int[16];
    private String[] deviceId = new String[16];
    private int deviceRows;

    /** The customer index, or -1 if absent; valid while building too. */
    int indexOf(String customerId) {
      return ids.find(0, customerId);
    }

    /**
     * Registers a customer id.
     *
     * @return the new customer's index, or {@code -1 - index} of the customer already using it
     */
    int add(String customerId, long line) {
      int before = ids.size();
      int c = ids.add(0, customerId);
      if (ids.size() == before) {
        return -1 - c;
      }
      if (c == lines.length) {
        grow();
      }
      lines[c] = (int) Math.min(line, Integer.MAX_VALUE);
      return c;
    }

    /** The line on which customer {@code c} was defined. */
    long line(int c) {
      return lines[c];
    }

    /** Sets the values of customer {@code c}; empty strings are stored as {@code null}. */
    void set(
        int c,
        String nationalId,
        String email,
        String phone,
        int birthDay,
        Gender gender,
        String nationality,
        String region) {
      this.nationalId[c] = nationalId;
      this.email[c] = emptyToNull(email);
      this.phone[c] = emptyToNull(phone);
      this.birthDay[c] = birthDay;
      this.gender[c] = (byte) (gender == null ? 0 : gender.ordinal());
      // Few distinct values repeated a million times: share one string each.
      this.nationality[c] = shared.computeIfAbsent(nationality, v -> v);
      this.region[c] = region.isEmpty() ? null : shared.computeIfAbsent(region, v -> v);
    }

    /** Adds a device row; duplicates of a (customer, device) pair are dropped when building. */
    void addDevice(int customer, String device) {
      if (deviceRows == deviceOwner.length) {
        int size = deviceRows + (deviceRows >> 1);
        deviceOwner = Arrays.copyOf(deviceOwner, size);
        deviceId = Arrays.copyOf(deviceId, size);
      }
      deviceOwner[deviceRows] = customer;
      deviceId[deviceRows++] = device;
    }

    Customers build() {
      int n = ids.size();
      // Counting sort by owner keeps each customer's devices in file order.
      int[] start = new int[n + 1];
      for (int i = 0; i < deviceRows; i++) {
        start[deviceOwner[i] + 1]++;
      }
      for (int c = 0; c < n; c++) {
        start[c + 1] += start[c];
      }
      String[] sorted = new String[deviceRows];
      int[] next = Arrays.copyOf(start, n);
      for (int i = 0; i < deviceRows; i++) {
        sorted[next[deviceOwner[i]]++] = deviceId[i];
      }
      // Drop repeated pairs, compacting in place.
      int[] distinctStart = new int[n + 1];
      int out = 0;
      for (int c = 0; c < n; c++) {
        distinctStart[c] = out;
        int size = start[c + 1] - start[c];
        if (size == 1) {
          sorted[out++] = sorted[start[c]];
        } else if (size > 1) {
          for (String d :
              new LinkedHashSet<>(Arrays.asList(sorted).subList(start[c], start[c + 1]))) {
            sorted[out++] = d;
          }
        }
      }
      distinctStart[n] = out;
      return new Customers(this, distinctStart, Arrays.copyOf(sorted, out));
    }

    private void grow() {
      int size = lines.length + (lines.length >> 1);
      lines = Arrays.copyOf(lines, size);
      nationalId = Arrays.copyOf(nationalId, size);
      email = Arrays.copyOf(email, size);
      phone = Arrays.copyOf(phone, size);
      birthDay = Arrays.copyOf(birthDay, size);
      gender = Arrays.copyOf(gender, size);
      nationality = Arrays.copyOf(nationality, size);
      region = Arrays.copyOf(region, size);
    }

    private static String emptyToNull(String s) {
      return s.isEmpty() ? null : s;
    }
  }
}
