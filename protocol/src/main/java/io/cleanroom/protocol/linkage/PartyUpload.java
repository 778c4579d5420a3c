package io.cleanroom.protocol.linkage;

/**
 * What one bank uploaded for linkage, as the coordinator holds it after its second blinding. Every
 * blinded value is a 128-bit number split into high and low words. Labels are the bank's own random
 * numbering of its accounts, 0..accounts−1.
 *
 * @param accounts number of the bank's accounts
 * @param idLabels account label of each blinded identifier
 * @param idKinds kind of each identifier ({@code IdentifierKind} number)
 * @param idHi high words of the identifiers
 * @param idLo low words of the identifiers
 * @param accountLabels labels of the bank's accounts that appear in cross-bank transfers
 * @param accountHi high words of those accounts' blinded numbers
 * @param accountLo low words
 * @param edgeOwn the bank's own account label of each edge
 * @param edgeKinds {@link #INTRA}, {@link #CROSS_OUT} or {@link #CROSS_IN} per edge
 * @param edgeOther receiver label of an intra-bank edge; for a cross-bank edge, its index into
 *     {@code crossHi}/{@code crossLo}
 * @param crossHi high words of the counterparties' blinded account numbers
 * @param crossLo low words
 */
public record PartyUpload(
    int accounts,
    int[] idLabels,
    int[] idKinds,
    long[] idHi,
    long[] idLo,
    int[] accountLabels,
    long[] accountHi,
    long[] accountLo,
    int[] edgeOwn,
    byte[] edgeKinds,
    int[] edgeOther,
    long[] crossHi,
    long[] crossLo) {

  public static final byte INTRA = 1;
  public static final byte CROSS_OUT = 2;
  public static final byte CROSS_IN = 3;

  /** Checks that labels and indices are in range and parallel arrays agree in length. */
  public PartyUpload {
    same(idLabels.length, idKinds.length, idHi.length, idLo.length, "identifier");
    same(accountLabels.length, accountHi.length, accountLo.length, accountLo.length, "account");
    same(edgeOwn.length, edgeKinds.length, edgeOther.length, edgeOther.length, "edge");
    same(crossHi.length, crossLo.length, crossLo.length, crossLo.length, "counterparty");
    for (int l : idLabels) {
      label(l, accounts);
    }
    for (int l : accountLabels) {
      label(l, accounts);
    }
    for (int e = 0; e < edgeOwn.length; e++) {
      label(edgeOwn[e], accounts);
      switch (edgeKinds[e]) {
        case INTRA -> label(edgeOther[e], accounts);
        case CROSS_OUT, CROSS_IN -> {
          if (edgeOther[e] < 0 || edgeOther[e] >= crossHi.length) {
            throw new IllegalArgumentException("edge " + e + " names no counterparty");
          }
        }
        default -> throw new IllegalArgumentException("edge " + e + " has kind " + edgeKinds[e]);
      }
    }
  }

  private static void same(int a, int b, int c, int d, String what) {
    if (a != b || a != c || a != d) {
      throw new IllegalArgumentException(what + " columns differ in length");
    }
  }

  private static void label(int l, int accounts) {
    if (l < 0 || l >= accounts) {
      throw new IllegalArgumentException("label " + l + " outside 0.." + (accounts - 1));
    }
  }
}
