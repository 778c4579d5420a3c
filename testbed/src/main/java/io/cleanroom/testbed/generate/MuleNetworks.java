package io.cleanroom.testbed.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shape of the planted fraud: networks of mule accounts spread over several banks, in three
 * layers. Victims pay the <b>first layer</b>; each first-layer mule passes the money within hours
 * to a <b>second-layer</b> mule at another bank, which passes it on to a <b>cash-out</b> account,
 * where it is withdrawn. The money itself is planted by {@link PlantedFraud}.
 *
 * <p>Members are tied together the way real mule networks are, so that identity linkage can join
 * them across banks: the herder's device logs in to many of the accounts, some are registered with
 * the herder's phone number or e-mail address, and some recruits hold a first-layer account at one
 * bank and a second-layer account at another. Every member shares at least one of these with a
 * member at another bank.
 *
 * <p>A network is active for one to four weeks, or if long-lived for one week to the whole window.
 * Its accounts are fresh, opened at most {@value #FRESH_DAYS} days before it starts, which is
 * within the window or shortly before it; {@link #openedLikeOrdinary} gives them the ages of
 * ordinary accounts instead, as accounts bought or rented from their holders rather than opened for
 * the network.
 */
final class MuleNetworks {
  static final byte FIRST = 1;
  static final byte SECOND = 2;
  static final byte CASH_OUT = 3;

  /** The member logs in from the herder's device. */
  static final int SHARES_DEVICE = 1;

  /** The member's account is registered with the herder's phone number. */
  static final int SHARES_PHONE = 2;

  /** The member's account is registered with the herder's e-mail address. */
  static final int SHARES_EMAIL = 4;

  static final int FRESH_DAYS = 60;
  private static final int MIN_SIZE = 4;
  private static final int MIN_DAYS = 7;
  private static final int MAX_DAYS = 30;
  private static final int LONG_LIVED_MAX_DAYS = Window.DAYS;

  /** Herders prefer some banks (easy online account opening): up to this many times others. */
  private static final double MAX_APPEAL = 2.5;

  /** Mules never take more than this share of a bank, so small banks keep ordinary customers. */
  private static final int MAX_SHARE_DIVISOR = 4;

  private static final double TWO_BANK_RECRUIT = 0.4;
  private static final double USES_DEVICE = 0.6;
  private static final double USES_PHONE = 0.3;
  private static final double USES_EMAIL = 0.15;

  private static final long SALT_ORDINARY_AGE = 31;

  /**
   * One network.
   *
   * @param startDay first day victims pay
   * @param days how many days victims pay
   * @param members global account indices
   * @param layers each member's layer: {@link #FIRST}, {@link #SECOND} or {@link #CASH_OUT}
   */
  record Network(int startDay, int days, int[] members, byte[] layers) {}

  private final List<Network> networks;
  private final List<int[]> recruits;
  private final int[] offset;
  private final int[][] openedByBank;
  private final int[] networkOf;
  private final byte[] shares;

  private MuleNetworks(
      List<Network> networks,
      List<int[]> recruits,
      int[] offset,
      int[][] openedByBank,
      int[] networkOf,
      byte[] shares) {
    this.networks = Collections.unmodifiableList(networks);
    this.recruits = Collections.unmodifiableList(recruits);
    this.offset = offset;
    this.openedByBank = openedByBank;
    this.networkOf = networkOf;
    this.shares = shares;
  }

  /**
   * Plans networks until about {@code muleFraction} of all accounts are mules. Each bank's mule
   * accounts are its first accounts (see {@link BankLayout}), so the plan needs only bank sizes.
   *
   * @param longLived whether networks may stay active for up to the whole window, spreading their
   *     transfers over more days, rather than for at most four weeks
   */
  static MuleNetworks shape(
      int[] sizes, double muleFraction, boolean longLived, SplittableRandom rng) {
    int maxDays = longLived ? LONG_LIVED_MAX_DAYS : MAX_DAYS;
    int banks = sizes.length;
    int[] offset = BankLayout.offsets(sizes);
    int total = offset[banks];
    double[] appeal = new double[banks];
    int[][] opened = new int[banks][];
    for (int b = 0; b < banks; b++) {
      appeal[b] = sizes[b] * (1 + (MAX_APPEAL - 1) * rng.nextDouble());
      opened[b] = new int[sizes[b] / MAX_SHARE_DIVISOR];
    }
    int[] count = new int[banks];
    int[] networkOf = new int[total];
    byte[] shares = new byte[total];
    List<Network> networks = new ArrayList<>();
    List<int[]> recruits = new ArrayList<>();
    int target = (int) Math.round(total * muleFraction);
    for (int planted = 0; target - planted >= MIN_SIZE; ) {
      byte[] layers = layers(target - planted, rng);
      int[] bankOf = banksOf(layers, banks, appeal, opened, count, rng);
      if (bankOf == null) {
        break; // the banks are as full of mules as they may be
      }
      int days = MIN_DAYS + rng.nextInt(maxDays - MIN_DAYS + 1);
      int start = rng.nextInt(Window.DAYS - days + 1);
      int n = layers.length;
      int[] members = new int[n];
      for (int i = 0; i < n; i++) {
        int b = bankOf[i];
        members[i] = offset[b] + count[b];
        opened[b][count[b]++] = start - 1 - rng.nextInt(FRESH_DAYS);
        networkOf[members[i]] = networks.size();
      }
      int[] recruitOf = recruit(layers, bankOf, recruits, members, rng);
      linkIdentities(bankOf, recruitOf, members, shares, rng);
      networks.add(new Network(start, days, members, layers));
      planted += n;
    }
    for (int b = 0; b < banks; b++) {
      opened[b] = Arrays.copyOf(opened[b], count[b]);
    }
    return new MuleNetworks(networks, recruits, offset, opened, networkOf, shares);
  }

  List<Network> networks() {
    return networks;
  }

  /** Each recruit's mule accounts: one, or a first-layer and a second-layer one at two banks. */
  List<int[]> recruits() {
    return recruits;
  }

  /** Per bank, the opening day of each of its mule accounts, for {@link BankLayout#plan}. */
  int[][] openedByBank() {
    return openedByBank;
  }

  /**
   * Per bank, opening days for its mule accounts drawn as for ordinary accounts ({@link
   * BankLayout#ordinaryOpening}), redrawn while one falls on or after its network's first day, so
   * that mule accounts are as old as ordinary ones. The draws come from a stream of their own, so
   * every other choice of the dataset is the same as with {@link #openedByBank()}.
   */
  int[][] openedLikeOrdinary(long seed) {
    SplittableRandom rng = new SplittableRandom(Draw.hash(seed, SALT_ORDINARY_AGE, 0));
    int[][] opened = new int[openedByBank.length][];
    for (int b = 0; b < opened.length; b++) {
      opened[b] = new int[openedByBank[b].length];
      for (int k = 0; k < opened[b].length; k++) {
        int start = networks.get(networkOf[offset[b] + k]).startDay();
        int day;
        do {
          day = BankLayout.ordinaryOpening(rng);
        } while (day >= start);
        opened[b][k] = day;
      }
    }
    return opened;
  }

  /** Index of the mule account's network. */
  int network(int account) {
    return networkOf[account];
  }

  /** Which of the herder's identifiers the mule account's customer uses ({@code SHARES_*}). */
  int shares(int account) {
    return shares[account];
  }

  /** Layers of a new network: two to five first-layer mules, one to three second, one or two. */
  private static byte[] layers(int room, SplittableRandom rng) {
    int first = 2 + rng.nextInt(4);
    int second = 1 + rng.nextInt(3);
    int cash = 1 + rng.nextInt(2);
    if (first + second + cash > room) {
      second = 1;
      cash = 1;
      first = room - 2;
    }
    byte[] layers = new byte[first + second + cash];
    Arrays.fill(layers, 0, first, FIRST);
    Arrays.fill(layers, first, first + second, SECOND);
    Arrays.fill(layers, first + second, layers.length, CASH_OUT);
    return layers;
  }

  /**
   * The bank of each member: two to four banks, chosen by size and appeal to herders, with every
   * first-layer mule at a bank other than that of some second-layer mule. Null if the banks with
   * room left cannot take the network.
   */
  private static int[] banksOf(
      byte[] layers, int banks, double[] appeal, int[][] room, int[] count, SplittableRandom rng) {
    int roll = rng.nextInt(100);
    int k = Math.min(banks, roll < 55 ? 2 : roll < 90 ? 3 : 4);
    int[] bankOf = new int[layers.length];
    for (int attempt = 0; attempt < 20; attempt++) {
      int[] chosen = chooseBanks(k, appeal, room, count, rng);
      if (chosen == null) {
        return null;
      }
      int secondBank = -1;
      boolean secondsSpread = false;
      for (int i = 0; i < layers.length; i++) {
        if (layers[i] == SECOND) {
          bankOf[i] = chosen[rng.nextInt(chosen.length)];
          secondsSpread |= secondBank >= 0 && bankOf[i] != secondBank;
          secondBank = bankOf[i];
        }
      }
      for (int i = 0; i < layers.length; i++) {
        if (layers[i] == FIRST) {
          do {
            bankOf[i] = chosen[rng.nextInt(chosen.length)];
          } while (!secondsSpread && bankOf[i] == secondBank);
        } else if (layers[i] == CASH_OUT) {
          bankOf[i] = chosen[rng.nextInt(chosen.length)];
        }
      }
      int[] need = new int[banks];
      boolean fits = true;
      for (int b : bankOf) {
        fits &= count[b] + ++need[b] <= room[b].length;
      }
      if (fits) {
        return bankOf;
      }
    }
    return null;
  }

  private static int[] chooseBanks(
      int k, double[] appeal, int[][] room, int[] count, SplittableRandom rng) {
    double[] weight = new double[appeal.length];
    int open = 0;
    for (int b = 0; b < appeal.length; b++) {
      if (count[b] < room[b].length) {
        weight[b] = appeal[b];
        open++;
      }
    }
    if (open < 2) {
      return null;
    }
    int[] chosen = new int[Math.min(k, open)];
    for (int i = 0; i < chosen.length; i++) {
      double sum = 0;
      for (double w : weight) {
        sum += w;
      }
      double x = rng.nextDouble() * sum;
      int pick = -1;
      for (int b = 0; b < weight.length && (pick < 0 || x >= 0); b++) {
        if (weight[b] > 0) {
          // Rounding may leave x just above 0 after the last bank; that bank is the pick.
          pick = b;
          x -= weight[b];
        }
      }
      chosen[i] = pick;
      weight[pick] = 0;
    }
    return chosen;
  }

  /**
   * Groups members into recruits: some second-layer mules are held by the person who holds a
   * first-layer mule at another bank, so that one person moves the money between their own
   * accounts. Returns each member's recruit index.
   */
  private static int[] recruit(
      byte[] layers, int[] bankOf, List<int[]> recruits, int[] members, SplittableRandom rng) {
    int n = layers.length;
    int[] recruitOf = new int[n];
    Arrays.fill(recruitOf, -1);
    for (int i = 0; i < n; i++) {
      if (layers[i] != SECOND || rng.nextDouble() >= TWO_BANK_RECRUIT) {
        continue;
      }
      int from = rng.nextInt(n);
      for (int s = 0; s < n; s++) {
        int j = (from + s) % n;
        if (layers[j] == FIRST && recruitOf[j] < 0 && bankOf[j] != bankOf[i]) {
          recruitOf[i] = recruitOf[j] = recruits.size();
          recruits.add(new int[] {members[j], members[i]});
          break;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (recruitOf[i] < 0) {
        recruitOf[i] = recruits.size();
        recruits.add(new int[] {members[i]});
      }
    }
    return recruitOf;
  }

  /**
   * Draws which of the herder's identifiers each member uses, then makes sure every member shares
   * one with a member at another bank, adding the herder's device where needed.
   */
  private static void linkIdentities(
      int[] bankOf, int[] recruitOf, int[] members, byte[] shares, SplittableRandom rng) {
    int n = members.length;
    int[] bits = new int[n];
    for (int i = 0; i < n; i++) {
      bits[i] =
          (rng.nextDouble() < USES_DEVICE ? SHARES_DEVICE : 0)
              | (rng.nextDouble() < USES_PHONE ? SHARES_PHONE : 0)
              | (rng.nextDouble() < USES_EMAIL ? SHARES_EMAIL : 0);
    }
    boolean added = false;
    for (int i = 0; i < n; i++) {
      if (!linkedAcrossBanks(i, bankOf, recruitOf, bits)) {
        bits[i] |= SHARES_DEVICE;
        added = true;
      }
    }
    if (added) {
      int deviceBank = -1;
      boolean spread = false;
      for (int i = 0; i < n; i++) {
        if ((bits[i] & SHARES_DEVICE) != 0) {
          spread |= deviceBank >= 0 && bankOf[i] != deviceBank;
          deviceBank = bankOf[i];
        }
      }
      for (int i = 0; !spread && i < n; i++) {
        if (bankOf[i] != deviceBank) {
          bits[i] |= SHARES_DEVICE;
          spread = true;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      shares[members[i]] = (byte) bits[i];
    }
  }

  private static boolean linkedAcrossBanks(int i, int[] bankOf, int[] recruitOf, int[] bits) {
    for (int j = 0; j < bankOf.length; j++) {
      if (bankOf[j] != bankOf[i] && (recruitOf[j] == recruitOf[i] || (bits[i] & bits[j]) != 0)) {
        return true;
      }
    }
    return false;
  }
}
