package io.cleanroom.protocol.study;

import java.util.List;

/**
 * The tasks a study can run and the phases each goes through, in order. Nodes and coordinator both
 * derive the phase sequence from here so they cannot disagree on it.
 */
public final class Tasks {
  private Tasks() {}

  /** Secure aggregation of each bank's counts of accounts, transfers and flagged accounts. */
  public static final String AGGREGATE_COUNTS = "aggregate-counts";

  /**
   * The engine's benchmark as a study: every node multiplies parameter {@code n} pairs of random
   * shared values with the dealer's triples, then opens a sample of factors and products and counts
   * mismatches.
   */
  public static final String BEAVER_BENCHMARK = "beaver-benchmark";

  /** Linked-account risk (警示帳戶聯防): double-blind linkage, then risk propagation on shares. */
  public static final String LINKED_RISK = "linked-risk";

  /**
   * The fraud study (design §3): linkage, risk propagation, the joint model trained on shares, and
   * its evaluation on shares for the governance report (phase {@value #EVALUATE}).
   */
  public static final String FRAUD_STUDY = "fraud-study";

  /**
   * The fraud study's evaluation phase: every bank scores its own accounts with the joint model,
   * the banks sum their evaluation counts on shares and open only the totals, and each bank writes
   * the explanations of its own alerts.
   */
  public static final String EVALUATE = "evaluate";

  /**
   * The training benchmark as a study: every node trains the joint model, as in {@code
   * fraud-study}'s train phase, on its slice of rows drawn from the plan's public seed (parameters
   * {@code rows}, {@code features}, {@code seed} and the training parameters).
   */
  public static final String TRAINING_BENCHMARK = "training-benchmark";

  /** The phases of {@code task}, in order. */
  public static List<String> phases(String task) {
    if (AGGREGATE_COUNTS.equals(task)) {
      return List.of("load", "aggregate");
    }
    if (BEAVER_BENCHMARK.equals(task)) {
      return List.of("multiply");
    }
    if (LINKED_RISK.equals(task)) {
      return List.of("link", "propagate");
    }
    if (FRAUD_STUDY.equals(task)) {
      return List.of("link", "propagate", "train", EVALUATE);
    }
    if (TRAINING_BENCHMARK.equals(task)) {
      return List.of("fit");
    }
    throw new IllegalArgumentException(
        "unknown task \""
            + task
            + "\"; known: "
            + String.join(
                ", ",
                AGGREGATE_COUNTS,
                LINKED_RISK,
                FRAUD_STUDY,
                BEAVER_BENCHMARK,
                TRAINING_BENCHMARK));
  }

  /** The totals the aggregate-counts task opens, in vector order. */
  public static final List<String> COUNT_TOTALS =
      List.of("accounts", "transactions", "alert_accounts", "grey_accounts");
}
