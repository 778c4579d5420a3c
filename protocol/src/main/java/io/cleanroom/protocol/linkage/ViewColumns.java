package io.cleanroom.protocol.linkage;

import java.util.List;

/**
 * The columns of a node's view of the joint graph on the wire ({@code JointGraphChunk.column}), in
 * the order the coordinator sends them.
 */
public final class ViewColumns {
  private ViewColumns() {}

  public static final String HANDLES = "handles";
  public static final String OWNERS = "owners";
  public static final String FLOW_SRC = "flow_src";
  public static final String FLOW_DST = "flow_dst";
  public static final String IDENTITY_SRC = "identity_src";
  public static final String IDENTITY_DST = "identity_dst";
  public static final String OWN_HANDLES = "own_handles";
  public static final String EDGE_COUNTERPARTS = "edge_counterparts";

  public static final List<String> ALL =
      List.of(
          HANDLES,
          OWNERS,
          FLOW_SRC,
          FLOW_DST,
          IDENTITY_SRC,
          IDENTITY_DST,
          OWN_HANDLES,
          EDGE_COUNTERPARTS);

  /** The view's columns in {@link #ALL} order; the first holds the number of handles. */
  public static int[][] of(NodeView v) {
    return new int[][] {
      {v.graph().handles()},
      v.graph().owner(),
      v.graph().flowSrc(),
      v.graph().flowDst(),
      v.graph().identitySrc(),
      v.graph().identityDst(),
      v.ownHandles(),
      v.edgeCounterparts()
    };
  }
}
