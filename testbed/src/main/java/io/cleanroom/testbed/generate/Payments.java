package io.cleanroom.testbed.generate;

import java.util.SplittableRandom;

/**
 * The ordinary economy: who pays whom, how much and when, day by day.
 *
 * <ul>
 *   <li><b>Salaries</b>: about {@value #EMPLOYED} of customers' main accounts are paid monthly by
 *       an employer (an account paying {@value #ACCOUNTS_PER_EMPLOYER} others on average, some far
 *       more), the same amount on the employer's payday, in a morning batch; most employees bank
 *       where their employer does (a salary-transfer account).
 *   <li><b>Rent and family allowances</b>: monthly standing orders to a landlord or a relative, run
 *       overnight; orders due on a weekend run on Monday.
 *   <li><b>Shop payments</b>: about {@value #SHOP_PAYMENTS} per account over the window, mostly to
 *       a customer's few favourite shops, popular shops receiving far more; each shop has its own
 *       price level.
 *   <li><b>Person-to-person</b>: about {@value #PERSONAL_PAYMENTS} per account, mostly to a few
 *       regular contacts, most of them at the payer's own bank ({@link Contacts}).
 * </ul>
 *
 * <p>Accounts differ in activity (log-normal, a tenth dormant, second accounts and mule accounts
 * quiet), and banks differ in how many employers and shops bank with them, so neither accounts nor
 * banks deal with every bank alike. Nobody pays from or to an account before it is opened, and no
 * ordinary payment goes to a mule account.
 */
final class Payments {
  static final double EMPLOYED = 0.62;
  static final int ACCOUNTS_PER_EMPLOYER = 250;
  static final double SHOP_PAYMENTS = 3.0;
  static final double PERSONAL_PAYMENTS = 1.8;

  private static final int ACCOUNTS_PER_SHOP = 150;
  private static final double RENTS = 0.12;
  private static final double SUPPORTS_FAMILY = 0.05;
  private static final double DORMANT = 0.10;
  private static final double SECOND_ACCOUNT_ACTIVITY = 0.3;
  private static final double MULE_ACTIVITY = 0.15;
  private static final double SALARY_AT_EMPLOYERS_BANK = 0.6;
  private static final double LANDLORD_AT_OWN_BANK = 0.3;
  private static final double SHOP_AT_OWN_BANK = 0.5;
  private static final double FAVOURITE_SHOP = 0.75;
  private static final double WEEKEND_SHOPPING = 1.3;
  private static final int[] PAYDAYS = {5, 10, 10, 15, 25, 28};

  /** Months in the window: a standing order falls due once in each. */
  private static final int MONTHS = Window.DAYS / 30;

  /** Payments an account makes over the window, salaries aside. */
  private static final double PAYMENTS_PER_ACCOUNT =
      SHOP_PAYMENTS + PERSONAL_PAYMENTS + (RENTS + SUPPORTS_FAMILY) * MONTHS;

  /** Regular contacts and how often each is paid, in percent; the rest are one-off payees. */
  private static final int[] CONTACT_SHARE = {40, 20, 15, 10};

  private static final long SALT_ORDERS = 11;
  private static final long SALT_SHOP = 12;
  private static final long SALT_EMPLOYER = 14;

  private static final int SHOPPING_HOURS = Window.total(Window.SHOPPING);
  private static final int PERSONAL_HOURS = Window.total(Window.PERSONAL);

  private final BankLayout layout;
  private final PlantedFraud fraud;
  private final long seed;
  private final Contacts contacts;
  private final AliasTable payers;
  private final Roles shops;
  private final double[] shopLevel;
  private final StandingOrders orders;
  private final double shopsPerDay;
  private final double personalPerDay;

  private Payments(
      BankLayout layout,
      PlantedFraud fraud,
      long seed,
      AliasTable payers,
      Roles employers,
      Roles shops,
      double[] shopLevel) {
    this.layout = layout;
    this.fraud = fraud;
    this.seed = seed;
    this.contacts = new Contacts(layout, seed);
    this.payers = payers;
    this.shops = shops;
    this.shopLevel = shopLevel;
    this.orders = standingOrders(employers);
    this.shopsPerDay = SHOP_PAYMENTS * layout.total() / Window.DAYS;
    this.personalPerDay = PERSONAL_PAYMENTS * layout.total() / Window.DAYS;
  }

  /** Decides every account's activity, the employers and shops, and the standing orders. */
  static Payments plan(BankLayout layout, PlantedFraud fraud, long seed, SplittableRandom rng) {
    int total = layout.total();
    double[] activity = new double[total];
    for (int a = 0; a < total; a++) {
      double level = StrictMath.exp(0.8 * Draw.gaussian(rng));
      if (layout.isMule(a)) {
        activity[a] = MULE_ACTIVITY * level;
      } else if (rng.nextDouble() >= DORMANT) {
        activity[a] = layout.isPrimary(a) ? level : SECOND_ACCOUNT_ACTIVITY * level;
      }
    }
    boolean[] taken = new boolean[total];
    Roles employers = Roles.choose(layout, total / ACCOUNTS_PER_EMPLOYER, taken, rng);
    Roles shops = Roles.choose(layout, total / ACCOUNTS_PER_SHOP, taken, rng);
    double[] shopLevel = new double[shops.size()];
    for (int i = 0; i < shopLevel.length; i++) {
      shopLevel[i] = shopLevel(rng);
    }
    return new Payments(layout, fraud, seed, new AliasTable(activity), employers, shops, shopLevel);
  }

  /** Adds day {@code day}'s ordinary transfers to {@code out}. */
  void day(int day, DayBatch out, SplittableRandom rng) {
    int base = day * Window.DAY;
    for (int dom : Window.due(day)) {
      for (int i = orders.first(dom); i < orders.end(dom); i++) {
        int from = orders.from(i);
        int to = orders.to(i);
        if (layout.opened(from) <= day && layout.opened(to) <= day) {
          out.add(base + orders.secondOfDay(i), from, to, orders.cents(i));
        }
      }
    }
    boolean weekend = Window.weekend(day);
    int n = Draw.stochasticRound(shopsPerDay * (weekend ? WEEKEND_SHOPPING : 1), rng);
    for (int i = 0; i < n; i++) {
      int payer = payers.sample(rng);
      int shop = shop(payer, rng);
      long twd = shopTwd(shopLevel[shop], rng);
      int second = base + Window.secondOfDay(Window.SHOPPING, SHOPPING_HOURS, rng);
      int to = shops.account(shop);
      if (to != payer && usable(payer, day) && layout.opened(to) <= day) {
        out.add(second, payer, to, twd * 100);
      }
    }
    n = Draw.stochasticRound(personalPerDay, rng);
    for (int i = 0; i < n; i++) {
      int payer = payers.sample(rng);
      int to = contacts.of(payer, contactRank(rng));
      long twd = personalTwd(rng);
      int second = base + Window.secondOfDay(Window.PERSONAL, PERSONAL_HOURS, rng);
      if (to != payer && usable(payer, day) && layout.opened(to) <= day) {
        out.add(second, payer, to, twd * 100);
      }
    }
  }

  /**
   * An amount such as customers pay: a shop payment at a shop of random price level, a
   * person-to-person transfer, a rent or a family allowance, each about as often as customers make
   * them (salaries, paid by employers, are left out).
   */
  static long ordinaryPaymentTwd(SplittableRandom rng) {
    double x = rng.nextDouble() * PAYMENTS_PER_ACCOUNT;
    if (x < SHOP_PAYMENTS) {
      return shopTwd(shopLevel(rng), rng);
    }
    x -= SHOP_PAYMENTS;
    if (x < PERSONAL_PAYMENTS) {
      return personalTwd(rng);
    }
    return x - PERSONAL_PAYMENTS < RENTS * MONTHS ? rentTwd(rng) : allowanceTwd(rng);
  }

  /** A shop's price level: the median of what its customers pay, in TWD. */
  private static double shopLevel(SplittableRandom rng) {
    return 400 * StrictMath.exp(0.9 * Draw.gaussian(rng));
  }

  /** One payment at a shop of price level {@code level}. */
  private static long shopTwd(double level, SplittableRandom rng) {
    long twd = Math.round(level * StrictMath.exp(0.6 * Draw.gaussian(rng)));
    return Math.max(10, Math.min(300_000, twd));
  }

  /** One month's rent. */
  private static long rentTwd(SplittableRandom rng) {
    return Draw.round(Draw.logNormalTwd(rng, 12_000, 0.35, 3_000, 80_000), 500);
  }

  /** One month's family allowance. */
  private static long allowanceTwd(SplittableRandom rng) {
    return Draw.round(Draw.logNormalTwd(rng, 5_000, 0.5, 1_000, 50_000), 1_000);
  }

  /** One person-to-person transfer. */
  private static long personalTwd(SplittableRandom rng) {
    long twd = Draw.logNormalTwd(rng, 1_500, 1.0, 1, 300_000);
    return rng.nextInt(10) < 6 ? Draw.round(twd, 100) : twd; // people send round sums
  }

  /** Whether a payer can pay on {@code day}: opened, and not frozen as an alert account. */
  private boolean usable(int payer, int day) {
    return layout.opened(payer) <= day && fraud.frozenFrom(payer) > day;
  }

  /**
   * A shop {@code payer} pays: usually one of its four favourites (a fixed choice per payer, half
   * of them at its own bank), otherwise any shop by popularity.
   */
  private int shop(int payer, SplittableRandom rng) {
    int bank = layout.bankOf(payer);
    if (rng.nextDouble() < FAVOURITE_SHOP) {
      long h = Draw.hash(seed, SALT_SHOP, payer * 4L + rng.nextInt(4));
      return Draw.unit(h) < SHOP_AT_OWN_BANK ? shops.pickAt(bank, Draw.mix(h)) : shops.pick(h);
    }
    return rng.nextDouble() < SHOP_AT_OWN_BANK ? shops.pickAt(bank, rng) : shops.pick(rng);
  }

  private static int contactRank(SplittableRandom rng) {
    int x = rng.nextInt(100);
    for (int k = 0; k < CONTACT_SHARE.length; k++) {
      x -= CONTACT_SHARE[k];
      if (x < 0) {
        return k;
      }
    }
    return CONTACT_SHARE.length + rng.nextInt(1 << 24); // someone paid once
  }

  /**
   * Every ordinary account's standing orders. Each account's draws come from its own generator, so
   * the orders can be counted per day in one pass and stored in a second.
   */
  private StandingOrders standingOrders(Roles employers) {
    int[] perDay = new int[Window.LAST_ORDER_DAY + 1];
    OrderSink count = (dom, from, to, cents, second) -> perDay[dom]++;
    for (int a = 0; a < layout.total(); a++) {
      ordersOf(a, employers, count);
    }
    StandingOrders orders = new StandingOrders(perDay);
    for (int a = 0; a < layout.total(); a++) {
      ordersOf(a, employers, orders::add);
    }
    return orders;
  }

  private void ordersOf(int a, Roles employers, OrderSink sink) {
    if (layout.isMule(a) || !layout.isPrimary(a)) {
      return;
    }
    SplittableRandom r = new SplittableRandom(Draw.hash(seed, SALT_ORDERS, a));
    int bank = layout.bankOf(a);
    if (r.nextDouble() < EMPLOYED) {
      int e =
          r.nextDouble() < SALARY_AT_EMPLOYERS_BANK ? employers.pickAt(bank, r) : employers.pick(r);
      int employer = employers.account(e);
      long twd = Draw.logNormalTwd(r, 42_000, 0.45, 15_000, 1_000_000);
      long h = Draw.hash(seed, SALT_EMPLOYER, employer);
      int payday = PAYDAYS[(int) Long.remainderUnsigned(h, PAYDAYS.length)];
      // Each employer runs its payroll batch at its own time between 08:30 and 10:00 in Taipei.
      int batch = 8 * Window.HOUR + 1_800 + (int) Long.remainderUnsigned(h >>> 16, 5_400);
      if (employer != a) {
        sink.add(payday, employer, a, twd * 100, Window.utc(batch + r.nextInt(300)));
      }
    }
    if (r.nextDouble() < RENTS) {
      int landlord =
          r.nextDouble() < LANDLORD_AT_OWN_BANK
              ? layout.ordinaryAccount(bank, r.nextInt(layout.ordinary(bank)))
              : layout.randomOrdinary(r);
      long twd = rentTwd(r);
      if (landlord != a) {
        sink.add(1 + r.nextInt(5), a, landlord, twd * 100, overnight(r));
      }
    }
    if (r.nextDouble() < SUPPORTS_FAMILY) {
      int relative = contacts.of(a, 0);
      long twd = allowanceTwd(r);
      if (relative != a) {
        sink.add(1 + r.nextInt(Window.LAST_ORDER_DAY), a, relative, twd * 100, overnight(r));
      }
    }
  }

  /** Banks run standing orders overnight, between 01:00 and 05:00 in Taipei. */
  private static int overnight(SplittableRandom r) {
    return Window.utc(Window.HOUR + r.nextInt(4 * Window.HOUR));
  }

  @FunctionalInterface
  private interface OrderSink {
    void add(int dayOfMonth, int from, int to, long cents, int secondOfDay);
  }
}
