package io.cleanroom.node.study;

import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.status.StudyStatusServiceBase;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import java.util.List;
import java.util.Optional;

/**
 * A bank node's {@code cleanroom.v1.StudyStatus} service: the studies this node joined, as its
 * {@link StudyRegistry} records them, for monitoring.
 *
 * <p>Served on the node's mutual-TLS port, which accepts operator and node certificates (the
 * coordinator never dials a node), and must be installed behind {@link PeerIdentityInterceptor}. An
 * operator sees every study the node knows; another node sees only the studies both take part in,
 * and the others are {@code NOT_FOUND} to it just as unknown ones are. A status carries what the
 * participants already receive (see status.proto), never data, shares or totals.
 */
public final class NodeStatusService extends StudyStatusServiceBase<StudyStatusReply> {

  private final StudyRegistry registry;

  /**
   * @param party this node's certificate name
   */
  public NodeStatusService(String party, StudyRegistry registry) {
    super(party);
    this.registry = registry;
  }

  @Override
  protected List<StudyStatusReply> studies() {
    return registry.studies();
  }

  @Override
  protected Optional<StudyStatusReply> study(String studyId) {
    return registry.study(studyId);
  }

  @Override
  protected List<String> participants(StudyStatusReply study) {
    return study.getParticipantsList();
  }

  @Override
  protected StudyStatusReply toReply(StudyStatusReply study) {
    return study;
  }

  @Override
  protected boolean ended(StudyStatusReply study) {
    return study.getState() == StudyStatusReply.State.DESTROYED
        || study.getState() == StudyStatusReply.State.ABORTED;
  }
}
