package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The project's synthetic dataset generator: one folder per bank ({@code bank-a}, {@code bank-b},
 * ...) holding the files of {@link BankFile} in the format of DATA-FORMAT.md, plus {@code
 * truth.csv} ({@code bank,account_id,is_mule}) for evaluation.
 *
 * <p>What is in it, over the {@value #WINDOW_DAYS} days from {@link #START} (UTC):
 *
 * <ul>
 *   <li><b>Banks</b> of uneven size (rank<sup>-0.8</sup>: with five banks the largest is about
 *       three times the smallest), each with its own share of employers and shops.
 *   <li><b>Customers</b> with a Taiwan national id, e-mail, phone, birth date, gender, nationality
 *       and region; 6% of people bank at two or three banks (same national id, phone and e-mail at
 *       each, written in each bank's own style), 10% hold two accounts at one bank; devices.
 *   <li><b>Ordinary payments</b> ({@link Payments}): monthly salaries, rents and allowances, shop
 *       payments and person-to-person transfers; about seven transfers per account, about a third
 *       of them between banks.
 *   <li><b>Mule networks</b> ({@link MuleNetworks}, {@link PlantedFraud}): fresh accounts at two to
 *       four banks in three layers, victims' money passed on across banks within hours, members
 *       tied by shared devices, phones, e-mails and people; a third flagged {@code alert}, a few
 *       ordinary accounts {@code grey}; recruitment optionally biased by demographics; optionally
 *       mules as old as ordinary accounts and moving ordinary amounts, so that their own records
 *       give less away ({@link GeneratorOptions}).
 * </ul>
 *
 * <p>The same options always produce byte-identical files. Memory grows with the number of accounts
 * (tens of bytes each), not with the number of transactions, which are streamed; a million accounts
 * over five banks take well under a minute.
 */
public final class Generator {
  /** Length of the transaction window. */
  public static final int WINDOW_DAYS = 90;

  /** First day of the transaction window (UTC). */
  public static final LocalDate START = LocalDate.of(2026, 1, 1);

  private Generator() {}

  /**
   * Writes a dataset.
   *
   * @param out the dataset folder: new, empty, or holding a previous generated dataset, which is
   *     replaced
   * @throws IllegalArgumentException if {@code out} holds anything but a generated dataset
   * @throws IOException if writing fails
   */
  public static DatasetSummary generate(Path out, GeneratorOptions options) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(options, "options");
    OutputFolder.prepare(out);
    return plan(options).write(out);
  }

  /** Decides everything but the ordinary transfers, which are drawn while they are written. */
  static Plan plan(GeneratorOptions options) {
    Objects.requireNonNull(options, "options");
    long seed = options.seed();
    SplittableRandom rng = new SplittableRandom(seed);
    int[] sizes = BankLayout.sizes(options.banks(), options.accounts(), rng);
    MuleNetworks networks =
        MuleNetworks.shape(sizes, options.muleFraction(), options.overlappingFraudAmounts(), rng);
    int[][] muleOpened =
        options.ordinaryAgeMules() ? networks.openedLikeOrdinary(seed) : networks.openedByBank();
    BankLayout layout = BankLayout.plan(sizes, muleOpened, rng);
    People people = new People(seed);
    int newPeople = Recruitment.assign(networks, layout, people, options.recruitmentBias(), rng);
    PlantedFraud fraud = PlantedFraud.plant(networks, layout, options, rng);
    Payments payments = Payments.plan(layout, fraud, seed, rng);
    return new Plan(seed, layout, networks, fraud, payments, people, newPeople, rng.nextLong());
  }

  /**
   * A planned dataset.
   *
   * @param newPeople mule recruits who were no one's customer before
   * @param transferSeed seeds the draws of the ordinary transfers
   */
  record Plan(
      long seed,
      BankLayout layout,
      MuleNetworks networks,
      PlantedFraud fraud,
      Payments payments,
      People people,
      int newPeople,
      long transferSeed) {

    DatasetSummary write(Path out) throws IOException {
      List<String> bankIds = new ArrayList<>();
      long customers = 0;
      long mules = 0;
      for (int b = 0; b < layout.banks(); b++) {
        bankIds.add(BankLayout.bankId(b));
        Files.createDirectories(out.resolve(BankLayout.bankId(b)));
        customers += layout.customers(b);
        mules += layout.mules(b);
      }
      // Transactions take most of the time; the other files need no shared random state, so
      // they are written alongside on a second thread.
      ExecutorService side = Executors.newSingleThreadExecutor();
      TransactionFiles.Counts txns;
      try {
        Future<Void> rest =
            side.submit(
                () -> {
                  for (int b = 0; b < layout.banks(); b++) {
                    PartyFiles.write(
                        out.resolve(BankLayout.bankId(b)), b, layout, networks, people, seed);
                  }
                  LabelFiles.writeAlerts(out, layout, fraud.flags());
                  LabelFiles.writeTruth(out, layout);
                  return null;
                });
        txns =
            TransactionFiles.write(
                out, layout, payments, fraud.transfers(), new SplittableRandom(transferSeed));
        rest.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing " + out, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException(e.getCause());
      } finally {
        side.shutdownNow();
      }
      return new DatasetSummary(
          out,
          bankIds,
          layout.total(),
          customers,
          (long) layout.ordinaryPeople() + newPeople,
          txns.transactions(),
          txns.crossBank(),
          mules,
          networks.networks().size(),
          fraud.flagged(Flag.ALERT),
          fraud.flagged(Flag.GREY));
    }
  }
}
