package io.cleanroom.testbed.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * The money moved through the {@link MuleNetworks}, and what the banks flagged.
 *
 * <p>Each first-layer mule receives three to ten victims' payments (ordinary customers of any bank;
 * round sums around 30,000 TWD, in office hours) while its network is active. Within three hours it
 * passes each on, less a small cut, to a second-layer mule at another bank, sometimes split in two;
 * that mule passes it on within six hours to a cash-out account, preferably at yet another bank.
 * With {@link GeneratorOptions#overlappingFraudAmounts()} each part passed on is instead the size
 * of an ordinary customer's payment ({@link Payments#ordinaryPaymentTwd}), and the victim pays
 * their sum.
 *
 * <p>About {@code alertFraction} of mule accounts are flagged {@code alert}, unevenly (a network's
 * share varies from a quarter to 1.75 times that), each a few days after its first incoming money,
 * first-layer mules most often (victims report the account they paid); from that day the account is
 * frozen and neither receives nor sends (nor makes ordinary payments, see {@link Payments}). A
 * share of ordinary accounts is flagged {@code grey}.
 */
final class PlantedFraud {
  private static final int[] LAYER_ALERT_WEIGHT = {0, 6, 3, 2};
  private static final int NEVER = Integer.MAX_VALUE;
  private static final int VICTIM_HOURS = Window.total(Window.VICTIM);

  private final List<Transfer> transfers;
  private final List<Flag> flags;
  private final BitSet alerted = new BitSet();
  private final Map<Integer, Integer> frozenFrom = new HashMap<>();

  private PlantedFraud(List<Transfer> transfers, List<Flag> flags) {
    this.transfers = Collections.unmodifiableList(transfers);
    this.flags = Collections.unmodifiableList(flags);
    for (Flag f : flags) {
      if (f.level().equals(Flag.ALERT)) {
        alerted.set(f.account());
        frozenFrom.put(f.account(), f.day());
      }
    }
  }

  /**
   * Plants the networks' money and flags, using the options' {@code alertFraction}, {@code
   * greyFraction} and {@code overlappingFraudAmounts}.
   */
  static PlantedFraud plant(
      MuleNetworks networks, BankLayout layout, GeneratorOptions options, SplittableRandom rng) {
    List<Transfer> transfers = new ArrayList<>();
    List<Flag> flags = new ArrayList<>();
    for (MuleNetworks.Network n : networks.networks()) {
      new Run(n, layout, options.overlappingFraudAmounts(), rng, transfers)
          .plant(options.alertFraction(), flags);
    }
    flagGrey(layout, options.greyFraction(), flags, rng);
    // A stable sort keeps equal times in creation order, so the result depends on the seed only.
    transfers.sort(Comparator.comparingInt(Transfer::second));
    return new PlantedFraud(transfers, flags);
  }

  /** Planted transfers in time order. */
  List<Transfer> transfers() {
    return transfers;
  }

  /** Alert and grey flags, in no particular order. */
  List<Flag> flags() {
    return flags;
  }

  /** The day from which the account is frozen (its alert day), or {@code Integer.MAX_VALUE}. */
  int frozenFrom(int account) {
    // Asked for every ordinary payment: the bit set answers the common case without boxing.
    return alerted.get(account) ? frozenFrom.get(account) : Integer.MAX_VALUE;
  }

  /** Number of accounts flagged at {@code level}. */
  long flagged(String level) {
    return flags.stream().filter(f -> f.level().equals(level)).count();
  }

  private static void flagGrey(
      BankLayout layout, double greyFraction, List<Flag> flags, SplittableRandom rng) {
    int grey = (int) Math.round(layout.ordinaryTotal() * greyFraction);
    BitSet taken = new BitSet(layout.total());
    for (int i = 0; i < grey; ) {
      int a = layout.randomOrdinary(rng);
      if (!taken.get(a)) {
        taken.set(a);
        int from = Math.max(0, layout.opened(a));
        flags.add(new Flag(a, Flag.GREY, from + rng.nextInt(Window.DAYS - from)));
        i++;
      }
    }
  }

  /** One network's activity, planted in time order so that freezing takes effect. */
  private static final class Run {
    private final MuleNetworks.Network network;
    private final BankLayout layout;
    private final boolean ordinaryAmounts;
    private final SplittableRandom rng;
    private final List<Transfer> out;
    private final int[] bank;
    private final boolean[] alerted;
    private final int[] flagDay;
    private final int[] frozenAt;

    Run(
        MuleNetworks.Network n,
        BankLayout layout,
        boolean ordinaryAmounts,
        SplittableRandom rng,
        List<Transfer> out) {
      this.network = n;
      this.layout = layout;
      this.ordinaryAmounts = ordinaryAmounts;
      this.rng = rng;
      this.out = out;
      int size = n.members().length;
      bank = new int[size];
      for (int i = 0; i < size; i++) {
        bank[i] = layout.bankOf(n.members()[i]);
      }
      alerted = new boolean[size];
      flagDay = new int[size];
      frozenAt = new int[size];
      Arrays.fill(flagDay, -1);
      Arrays.fill(frozenAt, NEVER);
    }

    void plant(double alertFraction, List<Flag> flags) {
      chooseAlerted(alertFraction);
      int[] members = network.members();
      byte[] layers = network.layers();
      List<long[]> payments = new ArrayList<>();
      for (int i = 0; i < members.length; i++) {
        if (layers[i] == MuleNetworks.FIRST) {
          for (int v = 3 + rng.nextInt(8); v > 0; v--) {
            int day = network.startDay() + rng.nextInt(network.days());
            int second = day * Window.DAY + Window.secondOfDay(Window.VICTIM, VICTIM_HOURS, rng);
            payments.add(new long[] {second, i});
          }
        }
      }
      payments.sort(Comparator.comparingLong((long[] p) -> p[0]));
      for (long[] p : payments) {
        victimPays((int) p[0], (int) p[1]);
      }
      for (int i = 0; i < members.length; i++) {
        if (alerted[i]) {
          // A member that never received money is flagged when the network is reported.
          int day = flagDay[i] >= 0 ? flagDay[i] : network.startDay() + network.days();
          flags.add(new Flag(members[i], Flag.ALERT, Math.min(Window.DAYS - 1, day)));
        }
      }
    }

    private void chooseAlerted(double alertFraction) {
      byte[] layers = network.layers();
      int[] weight = new int[layers.length];
      int total = 0;
      for (int i = 0; i < layers.length; i++) {
        weight[i] = LAYER_ALERT_WEIGHT[layers[i]];
        total += weight[i];
      }
      // Some networks are reported far more than others, and a small one may not be yet at all.
      double rate = Math.min(1, alertFraction * (0.25 + 1.5 * rng.nextDouble()));
      for (int k = Draw.stochasticRound(rate * layers.length, rng); k > 0; k--) {
        int i = Draw.weighted(rng, weight, total);
        alerted[i] = true;
        total -= weight[i];
        weight[i] = 0;
      }
    }

    private void victimPays(int second, int first) {
      if (second >= frozenAt[first]) {
        return; // the account is frozen: the victim's transfer is refused
      }
      long[] parts;
      if (ordinaryAmounts) {
        // Each transfer passed on is the size of an ordinary payment; the victim paid their sum.
        parts = new long[partCount()];
        for (int p = 0; p < parts.length; p++) {
          parts[p] = Payments.ordinaryPaymentTwd(rng);
        }
        pay(second, victim(second / Window.DAY), first, LongStream.of(parts).sum());
      } else {
        long twd = scamTwd();
        pay(second, victim(second / Window.DAY), first, twd);
        parts = split(twd);
      }
      for (long part : parts) {
        int t1 = second + 300 + rng.nextInt(3 * Window.HOUR - 300);
        if (t1 >= Window.END || t1 >= frozenAt[first]) {
          return; // the rest stays stuck in the frozen account
        }
        int next = pick(MuleNetworks.SECOND, t1, bank[first], true);
        if (next < 0 || bank[next] == bank[first]) {
          return; // first-layer money only ever leaves for another bank
        }
        long passed = Math.max(1, part * (960 + rng.nextInt(31)) / 1000);
        pass(t1, first, next, passed);
        int t2 = t1 + 600 + rng.nextInt(6 * Window.HOUR - 600);
        if (t2 < Window.END && t2 < frozenAt[next]) {
          int cash = pick(MuleNetworks.CASH_OUT, t2, bank[next], rng.nextInt(10) < 6);
          if (cash >= 0) {
            pass(t2, next, cash, Math.max(1, passed * (970 + rng.nextInt(26)) / 1000));
          }
        }
      }
    }

    /** A scam victim's payment: round sums around 30,000 TWD. */
    private long scamTwd() {
      long twd = Draw.logNormalTwd(rng, 30_000, 0.9, 1_000, 3_000_000);
      return rng.nextInt(10) < 7 ? Draw.round(twd, 1_000) : twd;
    }

    /** How many parts a first-layer mule passes a victim's payment on in: mostly one, or two. */
    private int partCount() {
      return rng.nextInt(10) < 3 ? 2 : 1;
    }

    /** {@code twd} whole, or in two parts of 40 to 60% and the rest. */
    private long[] split(long twd) {
      if (partCount() == 1) {
        return new long[] {twd};
      }
      long part = Math.max(1, twd * (40 + rng.nextInt(21)) / 100);
      return new long[] {part, twd - part};
    }

    /**
     * A member of {@code layer} not frozen at {@code second}, or -1; one at a bank other than
     * {@code notBank} if {@code elsewhere} and there is one.
     */
    private int pick(byte layer, int second, int notBank, boolean elsewhere) {
      byte[] layers = network.layers();
      int away = 0;
      int any = 0;
      for (int i = 0; i < layers.length; i++) {
        if (layers[i] == layer && frozenAt[i] > second) {
          any++;
          away += bank[i] != notBank ? 1 : 0;
        }
      }
      boolean move = elsewhere && away > 0;
      int count = move ? away : any;
      if (count == 0) {
        return -1;
      }
      int k = rng.nextInt(count);
      for (int i = 0; ; i++) {
        if (layers[i] == layer && frozenAt[i] > second && (!move || bank[i] != notBank)) {
          if (k-- == 0) {
            return i;
          }
        }
      }
    }

    /** An ordinary account open on {@code day}. */
    private int victim(int day) {
      int a;
      do {
        a = layout.randomOrdinary(rng);
      } while (layout.opened(a) > day);
      return a;
    }

    private void pay(int second, int account, int member, long twd) {
      out.add(new Transfer(second, account, network.members()[member], twd * 100));
      received(member, second);
    }

    private void pass(int second, int from, int to, long twd) {
      int[] members = network.members();
      out.add(new Transfer(second, members[from], members[to], twd * 100));
      received(to, second);
    }

    private void received(int member, int second) {
      if (alerted[member] && flagDay[member] < 0) {
        int delay =
            network.layers()[member] == MuleNetworks.FIRST
                ? 1 + rng.nextInt(7)
                : 3 + rng.nextInt(12);
        // A flag after the window is written on its last day, and takes effect then.
        flagDay[member] = Math.min(Window.DAYS - 1, second / Window.DAY + delay);
        frozenAt[member] = flagDay[member] * Window.DAY;
      }
    }
  }
}
