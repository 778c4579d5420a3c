package io.cleanroom.testbed.generate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who the mule recruits are. Half of them already bank elsewhere (so their mule account's customer
 * shares a national id, phone and e-mail with an ordinary account at another bank, as when a
 * student sells a newly opened account); the rest are people new to every bank in the dataset.
 *
 * <p>Recruits are drawn by rejection: a candidate is accepted with probability proportional to
 * their weight under the options' recruitment bias, so a group of weight w is recruited w times as
 * often, relative to its size, as a group of weight 1.
 */
final class Recruitment {
  private static final double ALREADY_A_CUSTOMER = 0.5;
  private static final int MAX_TRIES = 10_000;

  private final List<String> attributes;
  private final List<Map<String, Double>> weights;
  private final double maxWeight;
  private final People people;

  private Recruitment(Map<String, Map<String, Double>> bias, People people) {
    // A fixed order, so that equal options multiply weights alike and give the same dataset.
    this.attributes = Demographics.ATTRIBUTES.stream().filter(bias::containsKey).toList();
    this.weights = attributes.stream().map(bias::get).toList();
    double max = 1;
    for (int i = 0; i < attributes.size(); i++) {
      Map<String, Double> w = weights.get(i);
      // Groups not named weigh 1.
      double m = w.size() < Demographics.groups(attributes.get(i)).size() ? 1 : 0;
      for (double v : w.values()) {
        m = Math.max(m, v);
      }
      max *= m;
    }
    this.maxWeight = max;
    this.people = people;
  }

  /**
   * Gives every recruit of {@code networks} a person, recorded in {@code layout}.
   *
   * @return how many recruits are people new to every bank (added to the layout's people)
   */
  static int assign(
      MuleNetworks networks,
      BankLayout layout,
      People people,
      Map<String, Map<String, Double>> bias,
      SplittableRandom rng) {
    Recruitment r = new Recruitment(bias, people);
    int firstSingle = layout.firstSinglePerson();
    int singles = layout.ordinaryPeople() - firstSingle;
    int nextNew = layout.ordinaryPeople();
    int newLimit = People.MAX_PEOPLE - networks.networks().size();
    int added = 0;
    Set<Integer> taken = new HashSet<>();
    for (int[] accounts : networks.recruits()) {
      int person = -1;
      if (rng.nextDouble() < ALREADY_A_CUSTOMER) {
        for (int t = 0; t < MAX_TRIES && person < 0; t++) {
          int p = firstSingle + rng.nextInt(singles);
          // A second customer row with the same national id at one bank is not how banks work.
          if (!banksAt(layout, accounts, layout.bankOfSinglePerson(p))
              && !taken.contains(p)
              && r.accept(p, rng)) {
            person = p;
          }
        }
      }
      while (person < 0) {
        if (nextNew >= newLimit) {
          throw new IllegalStateException("ran out of person numbers recruiting mules");
        }
        int p = nextNew++;
        if (r.accept(p, rng)) {
          person = p;
          added++;
        }
      }
      taken.add(person);
      for (int account : accounts) {
        int b = layout.bankOf(account);
        layout.setMulePerson(b, account - layout.offset(b), person);
      }
    }
    return added;
  }

  private boolean accept(int person, SplittableRandom rng) {
    if (attributes.isEmpty()) {
      return true;
    }
    Person p = people.get(person);
    double w = 1;
    for (int i = 0; i < attributes.size(); i++) {
      w *= weights.get(i).getOrDefault(Demographics.groupOf(attributes.get(i), p), 1.0);
    }
    return rng.nextDouble() * maxWeight < w;
  }

  private static boolean banksAt(BankLayout layout, int[] accounts, int bank) {
    for (int a : accounts) {
      if (layout.bankOf(a) == bank) {
        return true;
      }
    }
    return false;
  }
}
