package io.cleanroom.testbed.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Generator} should make. Start from {@link #of(int, int, long)}, which sets the
 * defaults below, and change one knob at a time with the {@code with...} methods; every instance is
 * valid, so a bad value fails where it is set, with a message naming it.
 *
 * <p>Defaults:
 *
 * <ul>
 *   <li>{@code muleFraction} {@value #DEFAULT_MULE_FRACTION}: share of all accounts that are mule
 *       accounts in planted networks (rounded down to whole networks of four or more accounts);
 *   <li>{@code alertFraction} 1/3: share of mule accounts their bank has flagged {@code alert},
 *       first-layer mules more often than later ones;
 *   <li>{@code greyFraction} {@value #DEFAULT_GREY_FRACTION}: share of ordinary accounts flagged
 *       {@code grey} (false suspicions; no mule is grey);
 *   <li>{@code recruitmentBias} empty: mules are recruited without regard to demographics;
 *   <li>{@code ordinaryAgeMules} false: mule accounts are fresh, opened shortly before their
 *       network uses them;
 *   <li>{@code overlappingFraudAmounts} false: victims pay round sums around 30,000 TWD into
 *       networks that run for one to four weeks.
 * </ul>
 *
 * <p><b>Mules that are hard to spot.</b> With the defaults a mule account stands out by its own
 * records alone: it is weeks old and moves large sums over a few busy weeks. Two knobs take those
 * signs away, leaving mostly how money moves on and what other banks know (the networks, and the
 * identities their members share); the files stay deterministic per seed:
 *
 * <ul>
 *   <li>{@code ordinaryAgeMules}: mule accounts are opened on days drawn as those of ordinary
 *       accounts (up to fifteen years before the window, a few during it), always before their
 *       network starts, like accounts bought or rented from their holders. Birth dates need no such
 *       knob: recruits are drawn from the same people as ordinary customers (unless {@code
 *       recruitmentBias} says otherwise). Everything but the opening dates, and the few ordinary
 *       payments mules make before their former opening dates, is as without it.
 *   <li>{@code overlappingFraudAmounts}: every transfer a mule passes on is the size of a payment
 *       an ordinary customer makes (a shop payment, a transfer to a person, a rent or an allowance,
 *       each about as often as customers make them), the victim having paid their sum; and networks
 *       run for one week to the whole window rather than one to four weeks, spreading mules'
 *       transfers over more days, so that their daily volume is like ordinary accounts' too. Mules
 *       still pass on nearly all they receive, to few counterparties, and receive no salaries, so
 *       they receive smaller sums than salaried accounts.
 * </ul>
 *
 * <p>For a dataset like a consortium's own, with few alerts and mules that look ordinary: {@code
 * GeneratorOptions.of(5, 12_000, seed).withMuleFraction(0.009).withOrdinaryAgeMules(true)
 * .withOverlappingFraudAmounts(true)}, about 0.3% of accounts flagged {@code alert}.
 *
 * <p><b>Recruitment bias</b> plants a known demographic skew, so that fairness reports can be
 * checked against it. It maps an attribute to weights of its groups: a person's chance of being
 * recruited as a mule is proportional to the product, over the attributes named, of the weight of
 * the person's group (1 for groups not named). So {@code age: <25 → 3} makes people under 25 three
 * times as likely as anyone else to be recruited, and their accounts' mule rate about three times
 * that of others. Attributes and groups (see {@link #biasGroups(String)}):
 *
 * <ul>
 *   <li>{@code gender}: {@code F}, {@code M}, {@code X};
 *   <li>{@code age} (at the window's start): {@code <25}, {@code 25-44}, {@code 45-64}, {@code
 *       >=65};
 *   <li>{@code nationality}: {@code TW}, {@code other};
 *   <li>{@code region}: the region names written to customers.csv (e.g. {@code New Taipei}), or
 *       {@code unknown} for customers without one.
 * </ul>
 *
 * @param banks number of banks, {@value #MIN_BANKS} to {@value #MAX_BANKS}
 * @param accounts accounts over all banks, at least {@value #MIN_ACCOUNTS_PER_BANK} per bank and at
 *     most {@value #MAX_ACCOUNTS}
 * @param seed names the dataset: the same options always give byte-identical files
 * @param muleFraction share of accounts that are mules, 0 to {@value #MAX_MULE_FRACTION}
 * @param alertFraction share of mule accounts flagged {@code alert}, 0 to 1
 * @param greyFraction share of ordinary accounts flagged {@code grey}, 0 to {@value
 *     #MAX_GREY_FRACTION}
 * @param recruitmentBias attribute to (group to weight), weights above 0 and at most {@value
 *     #MAX_BIAS_WEIGHT}; copied, unmodifiable
 * @param ordinaryAgeMules whether mule accounts are as old as ordinary ones, rather than fresh
 * @param overlappingFraudAmounts whether the fraud's amounts and daily volume are like ordinary
 *     accounts' rather than large
 */
public record GeneratorOptions(
    int banks,
    int accounts,
    long seed,
    double muleFraction,
    double alertFraction,
    double greyFraction,
    Map<String, Map<String, Double>> recruitmentBias,
    boolean ordinaryAgeMules,
    boolean overlappingFraudAmounts) {

  /** Fewest banks. */
  public static final int MIN_BANKS = 2;

  /** Most banks: ids run from {@code bank-a} to {@code bank-z}. */
  public static final int MAX_BANKS = 26;

  /** Fewest accounts per bank, so that every bank has customers of its own. */
  public static final int MIN_ACCOUNTS_PER_BANK = 10;

  /** Most accounts, bounding memory and keeping ids and counts well inside their formats. */
  public static final int MAX_ACCOUNTS = 10_000_000;

  /** Default share of accounts that are mules. */
  public static final double DEFAULT_MULE_FRACTION = 0.02;

  /** Default share of mule accounts flagged {@code alert}. */
  public static final double DEFAULT_ALERT_FRACTION = 1.0 / 3;

  /** Default share of ordinary accounts flagged {@code grey}. */
  public static final double DEFAULT_GREY_FRACTION = 0.002;

  /** Largest mule fraction: beyond it mules would crowd out the ordinary accounts they prey on. */
  public static final double MAX_MULE_FRACTION = 0.2;

  /** Largest grey fraction. */
  public static final double MAX_GREY_FRACTION = 0.1;

  /**
   * Largest weight of one group. Recruits are drawn by rejection, so the product of the largest
   * weights over the attributes, divided by the average, is the number of draws per recruit.
   */
  public static final double MAX_BIAS_WEIGHT = 20;

  /** Validates every field and takes an unmodifiable copy of {@code recruitmentBias}. */
  public GeneratorOptions {
    if (banks < MIN_BANKS || banks > MAX_BANKS) {
      throw new IllegalArgumentException(
          "banks must be between " + MIN_BANKS + " and " + MAX_BANKS + ", got " + banks);
    }
    if (accounts < MIN_ACCOUNTS_PER_BANK * banks) {
      throw new IllegalArgumentException(
          "accounts must be at least "
              + MIN_ACCOUNTS_PER_BANK
              + " per bank ("
              + MIN_ACCOUNTS_PER_BANK * banks
              + " for "
              + banks
              + " banks), got "
              + accounts);
    }
    if (accounts > MAX_ACCOUNTS) {
      throw new IllegalArgumentException(
          "accounts must be at most " + MAX_ACCOUNTS + ", got " + accounts);
    }
    checkFraction("muleFraction", muleFraction, MAX_MULE_FRACTION);
    checkFraction("alertFraction", alertFraction, 1);
    checkFraction("greyFraction", greyFraction, MAX_GREY_FRACTION);
    if (recruitmentBias == null) {
      throw new IllegalArgumentException("recruitmentBias must not be null; use an empty map");
    }
    Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Double>> a : recruitmentBias.entrySet()) {
      List<String> groups = groupsOf(a.getKey());
      Map<String, Double> weights = new LinkedHashMap<>();
      for (Map.Entry<String, Double> g : a.getValue().entrySet()) {
        checkGroup(a.getKey(), groups, g.getKey());
        checkWeight(g.getValue());
        weights.put(g.getKey(), g.getValue());
      }
      copy.put(a.getKey(), Collections.unmodifiableMap(weights));
    }
    recruitmentBias = Collections.unmodifiableMap(copy);
  }

  /** {@code banks} banks, {@code accounts} accounts in all, and every other knob at its default. */
  public static GeneratorOptions of(int banks, int accounts, long seed) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        DEFAULT_MULE_FRACTION,
        DEFAULT_ALERT_FRACTION,
        DEFAULT_GREY_FRACTION,
        Map.of(),
        false,
        false);
  }

  /** The bias attributes: {@code gender}, {@code age}, {@code nationality}, {@code region}. */
  public static List<String> biasAttributes() {
    return Demographics.ATTRIBUTES;
  }

  /**
   * The groups of a bias attribute, e.g. {@code <25, 25-44, 45-64, >=65} for {@code age}.
   *
   * @throws IllegalArgumentException if {@code attribute} is not one of {@link #biasAttributes()}
   */
  public static List<String> biasGroups(String attribute) {
    return groupsOf(attribute);
  }

  /** These options with {@code banks} banks. */
  public GeneratorOptions withBanks(int banks) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with {@code accounts} accounts in all. */
  public GeneratorOptions withAccounts(int accounts) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with another seed. */
  public GeneratorOptions withSeed(long seed) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with another share of mule accounts. */
  public GeneratorOptions withMuleFraction(double muleFraction) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with another share of mule accounts flagged {@code alert}. */
  public GeneratorOptions withAlertFraction(double alertFraction) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with another share of ordinary accounts flagged {@code grey}. */
  public GeneratorOptions withGreyFraction(double greyFraction) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /** These options with mule accounts as old as ordinary ones, or (false) freshly opened. */
  public GeneratorOptions withOrdinaryAgeMules(boolean ordinaryAgeMules) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /**
   * These options with the planted fraud's amounts drawn like ordinary payments and its networks
   * active for up to the whole window, or (false) with large scam payments over a few weeks.
   */
  public GeneratorOptions withOverlappingFraudAmounts(boolean overlappingFraudAmounts) {
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        recruitmentBias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /**
   * These options with mules recruited {@code weight} times as often from {@code group} of {@code
   * attribute} (replacing an earlier weight of that group), e.g. {@code ("age", "<25", 3)}.
   *
   * @throws IllegalArgumentException for an unknown attribute or group, or a weight not above 0 and
   *     at most {@value #MAX_BIAS_WEIGHT}
   */
  public GeneratorOptions withRecruitmentBias(String attribute, String group, double weight) {
    checkGroup(attribute, groupsOf(attribute), group);
    checkWeight(weight);
    Map<String, Map<String, Double>> bias = new LinkedHashMap<>(recruitmentBias);
    Map<String, Double> weights = new LinkedHashMap<>(bias.getOrDefault(attribute, Map.of()));
    weights.put(group, weight);
    bias.put(attribute, weights);
    return new GeneratorOptions(
        banks,
        accounts,
        seed,
        muleFraction,
        alertFraction,
        greyFraction,
        bias,
        ordinaryAgeMules,
        overlappingFraudAmounts);
  }

  /**
   * These options with a bias written {@code attribute:group=weight}, e.g. {@code age:<25=3} or
   * {@code region:New Taipei=2}: the form a command-line option can pass through unchanged.
   *
   * @throws IllegalArgumentException if {@code spec} is not of that form, or as {@link
   *     #withRecruitmentBias(String, String, double)}
   */
  public GeneratorOptions withRecruitmentBias(String spec) {
    int colon = spec.indexOf(':');
    int equals = spec.lastIndexOf('=');
    if (colon < 1 || equals < colon + 2 || equals == spec.length() - 1) {
      throw new IllegalArgumentException(
          "bias must be written attribute:group=weight, e.g. age:<25=3, got \"" + spec + "\"");
    }
    double weight;
    try {
      weight = Double.parseDouble(spec.substring(equals + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bias weight must be a number, got \"" + spec.substring(equals + 1) + "\"", e);
    }
    return withRecruitmentBias(spec.substring(0, colon), spec.substring(colon + 1, equals), weight);
  }

  private static List<String> groupsOf(String attribute) {
    List<String> groups = Demographics.groups(attribute);
    if (groups == null) {
      throw new IllegalArgumentException(
          "unknown bias attribute \""
              + attribute
              + "\"; expected one of "
              + String.join(", ", Demographics.ATTRIBUTES));
    }
    return groups;
  }

  private static void checkGroup(String attribute, List<String> groups, String group) {
    if (!groups.contains(group)) {
      throw new IllegalArgumentException(
          "unknown "
              + attribute
              + " group \""
              + group
              + "\"; expected one of "
              + String.join(", ", groups));
    }
  }

  private static void checkWeight(Double weight) {
    if (weight == null || !(weight > 0 && weight <= MAX_BIAS_WEIGHT)) {
      throw new IllegalArgumentException(
          "bias weight must be above 0 and at most " + MAX_BIAS_WEIGHT + ", got " + weight);
    }
  }

  private static void checkFraction(String name, double value, double max) {
    if (!(value >= 0 && value <= max)) {
      throw new IllegalArgumentException(name + " must be between 0 and " + max + ", got " + value);
    }
  }
}
