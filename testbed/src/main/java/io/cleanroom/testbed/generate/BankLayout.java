package io.cleanroom.testbed.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Who banks where: how many accounts each bank has, which customer holds each account and which
 * person each customer is. Accounts are numbered globally ({@code 0..total-1}, bank by bank) so
 * that other parts of the generator can draw accounts uniformly across the dataset.
 */
final class BankLayout {
  /** Share of customers (per bank) holding two accounts at that bank. */
  private static final double TWO_ACCOUNTS = 0.10;

  /** Share of people holding one account at each of two banks. */
  private static final double TWO_BANKS = 0.05;

  private static final String[] BANK_IDS = new String[26];

  static {
    for (int b = 0; b < BANK_IDS.length; b++) {
      BANK_IDS[b] = "bank-" + (char) ('a' + b);
    }
  }

  private final int[] offset;
  private final int[][] accountCustomer;
  private final int[][] customerPerson;
  private final int people;

  private BankLayout(int[] offset, int[][] accountCustomer, int[][] customerPerson, int people) {
    this.offset = offset;
    this.accountCustomer = accountCustomer;
    this.customerPerson = customerPerson;
    this.people = people;
  }

  /** Draws bank sizes (within about ±20% of even), then fills each bank with customers. */
  static BankLayout plan(int banks, int total, SplittableRandom rng) {
    int[] offset = offsets(banks, total, rng);
    int[] size = new int[banks];
    for (int b = 0; b < banks; b++) {
      size[b] = offset[b + 1] - offset[b];
    }
    // Two-bank people are two customers with one account each and never hold a second account,
    // so the others need a slightly higher chance of a second account to reach TWO_ACCOUNTS of
    // all customers. Then solve for the number of two-bank people giving TWO_BANKS of people.
    double secondAccount = TWO_ACCOUNTS * (1 + TWO_BANKS) / (1 - TWO_BANKS);
    double local = 1 + secondAccount;
    int sharedTarget =
        (int) Math.round(total * TWO_BANKS / (2 * TWO_BANKS + (1 - TWO_BANKS) * local));
    int[][] shared = new int[banks][];
    int[] sharedCount = new int[banks];
    for (int b = 0; b < banks; b++) {
      shared[b] = new int[size[b] / 2];
    }
    int people = 0;
    for (int s = 0; s < sharedTarget; s++) {
      int b1 = bankOf(offset, rng.nextInt(total));
      int b2 = bankOf(offset, outside(offset, b1, rng));
      // Cap so each bank keeps room for its own customers even in tiny datasets.
      if (sharedCount[b1] < shared[b1].length && sharedCount[b2] < shared[b2].length) {
        shared[b1][sharedCount[b1]++] = people;
        shared[b2][sharedCount[b2]++] = people;
        people++;
      }
    }
    int[][] accountCustomer = new int[banks][];
    int[][] customerPerson = new int[banks][];
    for (int b = 0; b < banks; b++) {
      int n = size[b];
      int[] owner = new int[n];
      int[] persons = new int[n];
      int customers = 0;
      int used = 0;
      for (int slot = 0; slot < n; ) {
        int sharedLeft = sharedCount[b] - used;
        int slotsLeft = n - slot;
        // Interleave the two-bank people at random, but never run out of slots for them.
        if (sharedLeft > 0 && rng.nextInt(slotsLeft) < sharedLeft) {
          persons[customers] = shared[b][used++];
          owner[slot++] = customers++;
        } else {
          boolean two = slotsLeft - sharedLeft >= 2 && rng.nextDouble() < secondAccount;
          persons[customers] = people++;
          owner[slot++] = customers;
          if (two) {
            owner[slot++] = customers;
          }
          customers++;
        }
      }
      accountCustomer[b] = owner;
      customerPerson[b] = Arrays.copyOf(persons, customers);
    }
    return new BankLayout(offset, accountCustomer, customerPerson, people);
  }

  int banks() {
    return offset.length - 1;
  }

  int total() {
    return offset[offset.length - 1];
  }

  int size(int bank) {
    return offset[bank + 1] - offset[bank];
  }

  /** Global index of a bank's first account. */
  int offset(int bank) {
    return offset[bank];
  }

  int bankOf(int account) {
    return bankOf(offset, account);
  }

  int customers(int bank) {
    return customerPerson[bank].length;
  }

  /** Customer index (within the bank) holding the bank's {@code local}-th account. */
  int customerOf(int bank, int local) {
    return accountCustomer[bank][local];
  }

  /** Person number of a bank's customer. */
  int personOf(int bank, int customer) {
    return customerPerson[bank][customer];
  }

  /** Number of distinct people across all banks. */
  int people() {
    return people;
  }

  /** An account drawn uniformly from all banks. */
  int randomAccount(SplittableRandom rng) {
    return rng.nextInt(total());
  }

  /** An account of {@code bank}, uniformly, other than {@code not}. */
  int randomAccountAt(int bank, int not, SplittableRandom rng) {
    int a;
    do {
      a = offset[bank] + rng.nextInt(size(bank));
    } while (a == not);
    return a;
  }

  /** An account drawn uniformly from all banks but {@code bank}. */
  int randomAccountOutside(int bank, SplittableRandom rng) {
    return outside(offset, bank, rng);
  }

  /** {@code bank-a} for 0, {@code bank-b} for 1, ... */
  static String bankId(int bank) {
    return BANK_IDS[bank];
  }

  private static int[] offsets(int banks, int total, SplittableRandom rng) {
    double[] weight = new double[banks];
    double sum = 0;
    for (int b = 0; b < banks; b++) {
      weight[b] = 0.8 + 0.4 * rng.nextDouble();
      sum += weight[b];
    }
    int[] size = new int[banks];
    int assigned = 0;
    for (int b = 0; b < banks; b++) {
      size[b] = (int) (total * weight[b] / sum);
      assigned += size[b];
    }
    for (int b = 0; assigned < total; b = (b + 1) % banks) {
      size[b]++;
      assigned++;
    }
    int[] offset = new int[banks + 1];
    for (int b = 0; b < banks; b++) {
      offset[b + 1] = offset[b] + size[b];
    }
    return offset;
  }

  private static int bankOf(int[] offset, int account) {
    int i = Arrays.binarySearch(offset, account);
    // Sizes are positive, so an exact hit is the bank's first account.
    return i >= 0 ? i : -i - 2;
  }

  private static int outside(int[] offset, int bank, SplittableRandom rng) {
    int size = offset[bank + 1] - offset[bank];
    int r = rng.nextInt(offset[offset.length - 1] - size);
    return r < offset[bank] ? r : r + size;
  }
}
