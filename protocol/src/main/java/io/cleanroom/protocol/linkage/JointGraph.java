package io.cleanroom.protocol.linkage;

/**
 * The joint graph of a study over per-study random account handles 0..handles−1: which bank owns
 * each handle, the money-flow edges (a sender transferred to a receiver in the window, with no
 * amount) and the identity edges (the holders share a normalised identifier of the same kind; both
 * directions present). Every participant receives it; it carries no pseudonym, identifier, amount
 * or flag.
 */
public record JointGraph(
    int handles, int[] owner, int[] flowSrc, int[] flowDst, int[] identitySrc, int[] identityDst) {

  public JointGraph {
    if (owner.length != handles) {
      throw new IllegalArgumentException("owner column has " + owner.length + " of " + handles);
    }
    if (flowSrc.length != flowDst.length || identitySrc.length != identityDst.length) {
      throw new IllegalArgumentException("edge columns differ in length");
    }
    for (int[] col : new int[][] {flowSrc, flowDst, identitySrc, identityDst}) {
      for (int h : col) {
        if (h < 0 || h >= handles) {
          throw new IllegalArgumentException("edge names handle " + h + " outside 0.." + handles);
        }
      }
    }
  }
}
