package io.cleanroom.testbed.generate;

/**
 * Whom people pay privately: each account's regular contacts, a fixed function of the seed and the
 * account, so nothing is stored. Contacts live near each other in account order (a community of
 * {@value #NEIGHBOURHOOD} accounts either side), mostly at the same bank; a contact at another bank
 * lives at the matching place there, so communities span banks as families and friends do.
 */
final class Contacts {
  static final double AT_OWN_BANK = 0.8;
  private static final int NEIGHBOURHOOD = 1_000;
  private static final long SALT = 13;

  private final BankLayout layout;
  private final long seed;

  Contacts(BankLayout layout, long seed) {
    this.layout = layout;
    this.seed = seed;
  }

  /** The {@code k}-th contact of {@code account}, an ordinary account (possibly itself). */
  int of(int account, int k) {
    long h = Draw.mix(Draw.hash(seed, SALT, account) + k);
    int bank = layout.bankOf(account);
    int ordinary = layout.ordinary(bank);
    int local = account - layout.offset(bank) - layout.mules(bank);
    if (local < 0) {
      local = (int) Long.remainderUnsigned(h, ordinary); // mules have no community
    }
    int step = (int) Long.remainderUnsigned(h >>> 20, 2 * NEIGHBOURHOOD + 1) - NEIGHBOURHOOD;
    int target = bank;
    if (Draw.unit(Draw.mix(h)) >= AT_OWN_BANK) {
      target = otherBank(bank, Draw.unit(Draw.mix(h + 1)));
      local = (int) ((long) local * layout.ordinary(target) / ordinary);
    }
    return layout.ordinaryAccount(target, Math.floorMod(local + step, layout.ordinary(target)));
  }

  /** A bank other than {@code bank}, chosen by size, at position {@code u} in [0, 1). */
  private int otherBank(int bank, double u) {
    long x = (long) (u * (layout.ordinaryTotal() - layout.ordinary(bank)));
    int last = -1;
    for (int b = 0; b < layout.banks(); b++) {
      if (b != bank) {
        last = b;
        x -= layout.ordinary(b);
        if (x < 0) {
          return b;
        }
      }
    }
    return last;
  }
}
