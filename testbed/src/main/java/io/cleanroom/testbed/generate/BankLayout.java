package io.cleanroom.testbed.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Who banks where: the banks' sizes, which customer holds each account, which person each customer
 * is, when each account was opened, and the account and customer numbers written to the files.
 *
 * <p>Accounts are indexed globally ({@code 0..total-1}), bank by bank. Within a bank the first
 * {@link #mules(int)} accounts are the mule accounts planted there, each held by its own customer
 * (customers {@code 0..mules-1}); the ordinary accounts follow. The numbers written to the files
 * are a random permutation of these positions, so neither an account's nor a customer's number says
 * anything about it.
 *
 * <p>People are numbered: first those who are customers of several banks, then, bank by bank, those
 * who are customers of one bank only (so a single-bank person's bank follows from the number), then
 * the mule recruits who were no one's customer before ({@link Recruitment}).
 */
final class BankLayout {
  /** Share of single-bank customers holding a second account at their bank. */
  private static final double SECOND_ACCOUNT = 0.10;

  /** Share of people who are customers of two or more banks. */
  private static final double MULTI_BANK = 0.06;

  /** Share of those multi-bank people who bank at three banks rather than two. */
  private static final double THREE_BANKS = 0.2;

  /** Share of ordinary accounts opened during the window, so that newness alone is no proof. */
  private static final double OPENED_IN_WINDOW = 0.012;

  private static final int HISTORY_DAYS = 15 * 365;

  /**
   * Bank sizes follow rank^-SIZE_SKEW: with five banks the largest is about three times the
   * smallest, as in a consortium of a few large and several mid-sized banks.
   */
  private static final double SIZE_SKEW = 0.8;

  /** Account and customer ids have at least this many digits. */
  private static final int ID_DIGITS = 6;

  private static final String[] BANK_IDS = new String[GeneratorOptions.MAX_BANKS];

  static {
    for (int b = 0; b < BANK_IDS.length; b++) {
      BANK_IDS[b] = "bank-" + (char) ('a' + b);
    }
  }

  private final int[] offset;
  private final int[] mules;
  private final int[] ordinaryOffset;
  private final int[][] accountCustomer;
  private final int[][] customerPerson;
  private final int[][] accountNumber;
  private final int[][] accountAt;
  private final int[][] customerNumber;
  private final int[][] customerAt;
  private final int[] opened;
  private final int[] singleStart;

  private BankLayout(
      int[] offset,
      int[] mules,
      int[][] accountCustomer,
      int[][] customerPerson,
      int[] opened,
      int[] singleStart,
      SplittableRandom rng) {
    int banks = offset.length - 1;
    this.offset = offset;
    this.mules = mules;
    this.accountCustomer = accountCustomer;
    this.customerPerson = customerPerson;
    this.opened = opened;
    this.singleStart = singleStart;
    this.ordinaryOffset = new int[banks + 1];
    this.accountNumber = new int[banks][];
    this.accountAt = new int[banks][];
    this.customerNumber = new int[banks][];
    this.customerAt = new int[banks][];
    for (int b = 0; b < banks; b++) {
      ordinaryOffset[b + 1] = ordinaryOffset[b] + size(b) - mules[b];
      accountNumber[b] = permutation(size(b), rng);
      accountAt[b] = inverse(accountNumber[b]);
      customerNumber[b] = permutation(customerPerson[b].length, rng);
      customerAt[b] = inverse(customerNumber[b]);
    }
  }

  /**
   * Draws uneven bank sizes adding up to {@code total}, each at least {@link
   * GeneratorOptions#MIN_ACCOUNTS_PER_BANK}; the largest bank is not always {@code bank-a}.
   */
  static int[] sizes(int banks, int total, SplittableRandom rng) {
    double[] weight = new double[banks];
    double sum = 0;
    for (int b = 0; b < banks; b++) {
      weight[b] = StrictMath.pow(b + 1, -SIZE_SKEW) * (0.85 + 0.3 * rng.nextDouble());
    }
    for (int b = banks - 1; b > 0; b--) {
      int j = rng.nextInt(b + 1);
      double t = weight[b];
      weight[b] = weight[j];
      weight[j] = t;
    }
    for (double w : weight) {
      sum += w;
    }
    int floor = GeneratorOptions.MIN_ACCOUNTS_PER_BANK;
    int spare = total - floor * banks;
    int[] size = new int[banks];
    int assigned = 0;
    for (int b = 0; b < banks; b++) {
      size[b] = floor + (int) (spare * weight[b] / sum);
      assigned += size[b];
    }
    for (int b = 0; assigned < total; b = (b + 1) % banks) {
      size[b]++;
      assigned++;
    }
    return size;
  }

  /** Global index of each bank's first account, and the total at the end. */
  static int[] offsets(int[] sizes) {
    int[] offset = new int[sizes.length + 1];
    for (int b = 0; b < sizes.length; b++) {
      offset[b + 1] = offset[b] + sizes[b];
    }
    return offset;
  }

  /**
   * Fills the banks with customers.
   *
   * @param sizes accounts per bank
   * @param muleOpened per bank, the opening day of each mule account planted there; their persons
   *     are filled in later by {@link #setMulePerson}
   */
  static BankLayout plan(int[] sizes, int[][] muleOpened, SplittableRandom rng) {
    int banks = sizes.length;
    int[] offset = offsets(sizes);
    int[] mules = new int[banks];
    int[] ordinary = new int[banks];
    long ordinaryTotal = 0;
    for (int b = 0; b < banks; b++) {
      mules[b] = muleOpened[b].length;
      ordinary[b] = sizes[b] - mules[b];
      ordinaryTotal += ordinary[b];
    }
    // People at k banks hold k accounts; single-bank people 1 + SECOND_ACCOUNT on average. Solve
    // for the number of multi-bank people that makes them MULTI_BANK of all people.
    double banksEach = banks >= 3 ? 2 + THREE_BANKS : 2;
    int multiTarget =
        (int) (ordinaryTotal / (banksEach + (1 - MULTI_BANK) * (1 + SECOND_ACCOUNT) / MULTI_BANK));
    int[][] multi = new int[banks][];
    int[] multiCount = new int[banks];
    for (int b = 0; b < banks; b++) {
      multi[b] = new int[ordinary[b] / 2];
    }
    int people = 0;
    int[] chosen = new int[3];
    for (int s = 0; s < multiTarget; s++) {
      int k = banks >= 3 && rng.nextDouble() < THREE_BANKS ? 3 : 2;
      for (int i = 0; i < k; i++) {
        chosen[i] = weightedBank(ordinary, chosen, i, rng);
      }
      boolean room = true;
      for (int i = 0; i < k; i++) {
        // Keep at least half of each bank for its own customers, even in tiny datasets.
        room &= multiCount[chosen[i]] < multi[chosen[i]].length;
      }
      if (room) {
        for (int i = 0; i < k; i++) {
          multi[chosen[i]][multiCount[chosen[i]]++] = people;
        }
        people++;
      }
    }
    int[][] accountCustomer = new int[banks][];
    int[][] customerPerson = new int[banks][];
    int[] opened = new int[offset[banks]];
    int[] singleStart = new int[banks + 1];
    for (int b = 0; b < banks; b++) {
      int n = sizes[b];
      int[] owner = new int[n];
      int[] persons = new int[n];
      int customers = 0;
      int slot = 0;
      for (; slot < mules[b]; slot++) {
        opened[offset[b] + slot] = muleOpened[b][slot];
        persons[customers] = -1;
        owner[slot] = customers++;
      }
      for (int i = 0; i < multiCount[b]; i++) {
        persons[customers] = multi[b][i];
        owner[slot++] = customers++;
      }
      singleStart[b] = people;
      while (slot < n) {
        boolean two = n - slot >= 2 && rng.nextDouble() < SECOND_ACCOUNT;
        persons[customers] = people++;
        owner[slot++] = customers;
        if (two) {
          owner[slot++] = customers;
        }
        customers++;
      }
      for (int i = mules[b]; i < n; i++) {
        opened[offset[b] + i] = ordinaryOpening(rng);
      }
      accountCustomer[b] = owner;
      customerPerson[b] = Arrays.copyOf(persons, customers);
    }
    singleStart[banks] = people;
    return new BankLayout(offset, mules, accountCustomer, customerPerson, opened, singleStart, rng);
  }

  /**
   * The opening day of an ordinary account, relative to the window's start: up to fifteen years
   * before it, or for a small share of accounts during it.
   */
  static int ordinaryOpening(SplittableRandom rng) {
    return rng.nextDouble() < OPENED_IN_WINDOW
        ? rng.nextInt(Window.DAYS)
        : -1 - rng.nextInt(HISTORY_DAYS);
  }

  /** {@code bank-a} for 0, {@code bank-b} for 1, ... */
  static String bankId(int bank) {
    return BANK_IDS[bank];
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
    int i = Arrays.binarySearch(offset, account);
    // Sizes are positive, so an exact hit is the bank's first account.
    return i >= 0 ? i : -i - 2;
  }

  /** Mule accounts of {@code bank}: its first accounts, held by its first customers. */
  int mules(int bank) {
    return mules[bank];
  }

  /** Whether the account is one of the planted mule accounts. */
  boolean isMule(int account) {
    int b = bankOf(account);
    return account - offset[b] < mules[b];
  }

  /** Ordinary (non-mule) accounts of {@code bank}. */
  int ordinary(int bank) {
    return size(bank) - mules[bank];
  }

  /** Ordinary accounts over all banks. */
  int ordinaryTotal() {
    return ordinaryOffset[ordinaryOffset.length - 1];
  }

  /** Global index of {@code bank}'s {@code k}-th ordinary account. */
  int ordinaryAccount(int bank, int k) {
    return offset[bank] + mules[bank] + k;
  }

  /** An ordinary account drawn uniformly from all banks. */
  int randomOrdinary(SplittableRandom rng) {
    int x = rng.nextInt(ordinaryTotal());
    // Every bank keeps ordinary accounts (mules take at most a quarter), so offsets increase.
    int i = Arrays.binarySearch(ordinaryOffset, x);
    int b = i >= 0 ? i : -i - 2;
    return ordinaryAccount(b, x - ordinaryOffset[b]);
  }

  int customers(int bank) {
    return customerPerson[bank].length;
  }

  /** Customer (within the bank) holding the bank's {@code local}-th account. */
  int customerOf(int bank, int local) {
    return accountCustomer[bank][local];
  }

  /** Whether the account is the first (or only) one its customer holds at the bank. */
  boolean isPrimary(int account) {
    int b = bankOf(account);
    int local = account - offset[b];
    return local == 0 || accountCustomer[b][local - 1] != accountCustomer[b][local];
  }

  /** Person number of a bank's customer. */
  int personOf(int bank, int customer) {
    return customerPerson[bank][customer];
  }

  /** Records who holds mule account {@code k} of {@code bank} (customer {@code k}). */
  void setMulePerson(int bank, int k, int person) {
    if (k >= mules[bank]) {
      throw new IllegalArgumentException("not a mule customer: " + k);
    }
    customerPerson[bank][k] = person;
  }

  /** Day the account was opened, relative to the window's start (negative: before it). */
  int opened(int account) {
    return opened[account];
  }

  /** The number written for the bank's {@code local}-th account, from 1. */
  int accountNumber(int bank, int local) {
    return accountNumber[bank][local];
  }

  /** Appends the id written for a (global) account, e.g. {@code A000123}. */
  CsvLine accountId(CsvLine line, int account) {
    int b = bankOf(account);
    return line.id('A', accountNumber[b][account - offset[b]], ID_DIGITS);
  }

  /** Appends the id written for a bank's customer, e.g. {@code C000042}. */
  CsvLine customerId(CsvLine line, int bank, int customer) {
    return line.id('C', customerNumber[bank][customer], ID_DIGITS);
  }

  /** The bank's account written with {@code number}. */
  int accountAt(int bank, int number) {
    return accountAt[bank][number - 1];
  }

  /** The bank's customer written with {@code number}. */
  int customerAt(int bank, int number) {
    return customerAt[bank][number - 1];
  }

  /** People before any mule recruit who was no one's customer. */
  int ordinaryPeople() {
    return singleStart[singleStart.length - 1];
  }

  /** First person number of the customers of one bank only. */
  int firstSinglePerson() {
    return singleStart[0];
  }

  /** The bank of a person who is a customer of one bank only. */
  int bankOfSinglePerson(int person) {
    // Multi-bank people fill at most half of a bank, so every bank has single-bank customers
    // and the starts increase.
    int i = Arrays.binarySearch(singleStart, person);
    return i >= 0 ? i : -i - 2;
  }

  private static int weightedBank(int[] ordinary, int[] chosen, int count, SplittableRandom rng) {
    long total = 0;
    for (int b = 0; b < ordinary.length; b++) {
      total += taken(chosen, count, b) ? 0 : ordinary[b];
    }
    long x = rng.nextLong(total);
    for (int b = 0; ; b++) {
      if (!taken(chosen, count, b)) {
        x -= ordinary[b];
        if (x < 0) {
          return b;
        }
      }
    }
  }

  private static boolean taken(int[] chosen, int count, int bank) {
    for (int i = 0; i < count; i++) {
      if (chosen[i] == bank) {
        return true;
      }
    }
    return false;
  }

  /** 1..n in random order. */
  private static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static int[] inverse(int[] numbers) {
    int[] at = new int[numbers.length];
    for (int i = 0; i < numbers.length; i++) {
      at[numbers[i] - 1] = i;
    }
    return at;
  }
}
