package io.cleanroom.testbed.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * The planted fraud: rings of mule accounts spread over several banks. Victims pay the ring's
 * collectors; each payment is then forwarded hop by hop to later members (preferably at another
 * bank) within hours, each mule keeping a small cut, until it stops at some member. About a third
 * of each ring is flagged {@code alert} by its bank; a few legitimate accounts are {@code grey}.
 */
final class MuleRings {
  private static final double MULE_SHARE = 0.02;
  private static final double GREY_SHARE = 0.002;
  private static final int MIN_RING = 5;
  private static final int MAX_RING = 15;
  private static final int HOUR = 3600;
  private static final int DAY = 86_400;

  private final boolean[] mule;
  private final int[] ringDevice;
  private final List<Transfer> transfers;
  private final List<Flag> flags;
  private final int rings;

  private MuleRings(
      boolean[] mule, int[] ringDevice, List<Transfer> transfers, List<Flag> flags, int rings) {
    this.mule = mule;
    this.ringDevice = ringDevice;
    this.transfers = transfers;
    this.flags = flags;
    this.rings = rings;
  }

  /** Picks ring members and plants their transfers and the banks' flags. */
  static MuleRings plant(BankLayout layout, int windowDays, SplittableRandom rng) {
    int total = layout.total();
    boolean[] mule = new boolean[total];
    int[] ringDevice = new int[total];
    // Choose every ring first, so no victim of one ring later turns out to be a mule of another.
    List<int[]> members = new ArrayList<>();
    int target = Math.max(MIN_RING, (int) Math.round(total * MULE_SHARE));
    for (int planted = 0; ; ) {
      int k = Math.min(MIN_RING + rng.nextInt(MAX_RING - MIN_RING + 1), target - planted);
      if (k < MIN_RING) {
        break;
      }
      members.add(pickMembers(layout, mule, k, rng));
      planted += k;
    }
    List<Transfer> transfers = new ArrayList<>();
    List<Flag> flags = new ArrayList<>();
    for (int r = 0; r < members.size(); r++) {
      int[] ring = members.get(r);
      int startDay = rng.nextInt(windowDays - 20);
      plantFlows(layout, mule, ring, startDay, windowDays * DAY, transfers, rng);
      flagThird(ring, startDay, windowDays, flags, rng);
      // Rings are run by one operator whose phone shows up behind about half the members.
      for (int account : ring) {
        if (rng.nextBoolean()) {
          ringDevice[account] = r + 1;
        }
      }
    }
    flagGrey(mule, windowDays, flags, rng);
    // Stable sorts keep equal keys in creation order, so the result depends on the seed only.
    transfers.sort(Comparator.comparingInt(Transfer::second));
    flags.sort(Comparator.comparingInt(Flag::account));
    return new MuleRings(
        mule,
        ringDevice,
        Collections.unmodifiableList(transfers),
        Collections.unmodifiableList(flags),
        members.size());
  }

  boolean isMule(int account) {
    return mule[account];
  }

  /** The ring (1-based) whose operator device this account's customer uses, or 0. */
  int ringDevice(int account) {
    return ringDevice[account];
  }

  /** Planted transfers in time order. */
  List<Transfer> transfers() {
    return transfers;
  }

  /** All flags in global account order, so bank by bank. */
  List<Flag> flags() {
    return flags;
  }

  /** Number of accounts flagged at {@code level}. */
  long flagged(String level) {
    return flags.stream().filter(f -> f.level().equals(level)).count();
  }

  int rings() {
    return rings;
  }

  int mules() {
    int n = 0;
    for (boolean m : mule) {
      n += m ? 1 : 0;
    }
    return n;
  }

  private static int[] pickMembers(BankLayout layout, boolean[] mule, int k, SplittableRandom rng) {
    int[] ring = new int[k];
    for (int i = 0; i < k; i++) {
      ring[i] = nonMule(mule, () -> layout.randomAccount(rng));
      mule[ring[i]] = true;
    }
    boolean oneBank = true;
    for (int a : ring) {
      oneBank &= layout.bankOf(a) == layout.bankOf(ring[0]);
    }
    if (oneBank) {
      // Rings exist here to be found across banks.
      mule[ring[k - 1]] = false;
      int bank = layout.bankOf(ring[0]);
      ring[k - 1] = nonMule(mule, () -> layout.randomAccountOutside(bank, rng));
      mule[ring[k - 1]] = true;
    }
    return ring;
  }

  private static void plantFlows(
      BankLayout layout,
      boolean[] mule,
      int[] ring,
      int startDay,
      int windowEnd,
      List<Transfer> out,
      SplittableRandom rng) {
    int k = ring.length;
    int collectors = Math.max(2, k * 2 / 5);
    int start = startDay * DAY;
    int active = (3 + rng.nextInt(8)) * DAY;
    for (int c = 0; c < collectors; c++) {
      int victims = 2 + rng.nextInt(5);
      for (int v = 0; v < victims; v++) {
        int victim = nonMule(mule, () -> layout.randomAccount(rng));
        int time = start + rng.nextInt(active);
        long cents = Draw.logNormalCents(rng, 30_000, 0.6, 100_000, 50_000_000);
        out.add(new Transfer(time, victim, ring[c], cents));
        for (int pos = c; ; ) {
          int from = Math.max(pos + 1, collectors);
          time += 600 + rng.nextInt(6 * HOUR);
          if (from >= k || time >= windowEnd) {
            break;
          }
          int next = nextHop(layout, ring, pos, from, rng);
          cents = cents * (970 + rng.nextInt(26)) / 1000;
          out.add(new Transfer(time, ring[pos], ring[next], cents));
          pos = next;
          if (rng.nextInt(10) < 3) {
            break;
          }
        }
      }
    }
  }

  // Prefer a member at another bank: cross-bank layering is what one bank alone cannot see.
  private static int nextHop(
      BankLayout layout, int[] ring, int pos, int from, SplittableRandom rng) {
    int bank = layout.bankOf(ring[pos]);
    int candidate = from;
    for (int attempt = 0; attempt < 3; attempt++) {
      candidate = from + rng.nextInt(ring.length - from);
      if (layout.bankOf(ring[candidate]) != bank) {
        break;
      }
    }
    return candidate;
  }

  private static void flagThird(
      int[] ring, int startDay, int windowDays, List<Flag> flags, SplittableRandom rng) {
    int[] order = ring.clone();
    int alerts = Math.round(ring.length / 3f);
    for (int i = 0; i < alerts; i++) {
      int j = i + rng.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      int day = Math.min(windowDays - 1, startDay + 3 + rng.nextInt(15));
      flags.add(new Flag(order[i], "alert", day));
    }
  }

  private static void flagGrey(
      boolean[] mule, int windowDays, List<Flag> flags, SplittableRandom rng) {
    int total = mule.length;
    int grey = Math.max(1, (int) Math.round(total * GREY_SHARE));
    boolean[] taken = new boolean[total];
    for (int i = 0; i < grey; i++) {
      int a = nonMule(mule, () -> rng.nextInt(total));
      if (!taken[a]) {
        taken[a] = true;
        flags.add(new Flag(a, "grey", rng.nextInt(windowDays)));
      }
    }
  }

  private static int nonMule(boolean[] mule, IntSupplier draw) {
    int a;
    do {
      a = draw.getAsInt();
    } while (mule[a]);
    return a;
  }
}
