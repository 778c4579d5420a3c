package io.cleanroom.coordinator.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cleanroom.coordinator.FuzzFrames;
import io.cleanroom.coordinator.RecordingObserver;
import io.cleanroom.protocol.testing.AsParty;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.Hello;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary control-session traffic from participants, a bank outside the study and the operator,
 * through {@link NodeSessions#session}: no call throws; a study hears only its participants, only
 * after their hello, only messages of that study, each session's in strictly increasing sequence; a
 * refused session ends with a refusal status and is no longer the node's session.
 *
 * <p>The input is a sequence of frames (one byte naming the caller, one byte naming the action:
 * send a message, complete or fail the caller's session; for a message, a length-delimited {@link
 * NodeMessage}).
 */
class NodeSessionsFuzzTest {
  private static final String STUDY = "st-1";
  private static final Set<String> PARTICIPANTS = Set.of("bank-a", "bank-b");
  private static final Set<Status.Code> REFUSALS =
      Set.of(Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION);
  private static AsParty parties;

  @FuzzTest(maxDuration = "60s")
  void session(byte[] input) throws IOException, GeneralSecurityException {
    run(input);
  }

  /** Runs the frames of {@code input}; returns the events the study heard. */
  private static List<NodeEvent> run(byte[] input) throws IOException, GeneralSecurityException {
    parties = FuzzFrames.parties();
    NodeSessions sessions = new NodeSessions();
    List<NodeEvent> events = new ArrayList<>();
    sessions.listen(STUDY, PARTICIPANTS, events::add);
    Map<String, StreamObserver<NodeMessage>> open = new HashMap<>();
    Map<String, RecordingObserver<CoordinatorMessage>> answers = new HashMap<>();
    Map<String, Long> lastSeq = new HashMap<>();
    FuzzFrames frames = new FuzzFrames(input);
    for (FuzzFrames.Action frame; (frame = frames.action()) != null; ) {
      String name = frame.caller();
      int action = frame.code();
      if (action % 3 == 0) {
        NodeMessage m = frames.message(NodeMessage.parser());
        if (m == null) {
          break;
        }
        int heard = events.size();
        open.computeIfAbsent(name, n -> start(sessions, n, answers, lastSeq)).onNext(m);
        for (NodeEvent e : events.subList(heard, events.size())) {
          checkEvent(e, name, lastSeq);
        }
      } else if (open.containsKey(name)) {
        StreamObserver<NodeMessage> stream = open.remove(name);
        if (action % 3 == 1) {
          stream.onCompleted();
        } else {
          stream.onError(Status.CANCELLED.asRuntimeException());
        }
        assertTrue(sessions.session(name) == null, name + "'s ended session is still connected");
      }
      RecordingObserver<CoordinatorMessage> answer = answers.get(name);
      if (answer != null && answer.error() != null) {
        assertTrue(REFUSALS.contains(answer.error().getCode()), answer.error().toString());
        open.remove(name);
      }
    }
    return events;
  }

  private static StreamObserver<NodeMessage> start(
      NodeSessions sessions,
      String name,
      Map<String, RecordingObserver<CoordinatorMessage>> answers,
      Map<String, Long> lastSeq) {
    RecordingObserver<CoordinatorMessage> responses = new RecordingObserver<>();
    answers.put(name, responses);
    lastSeq.remove(name);
    @SuppressWarnings("unchecked")
    StreamObserver<NodeMessage>[] stream = new StreamObserver[1];
    parties.run(
        name, CoordinationGrpc.getSessionMethod(), () -> stream[0] = sessions.session(responses));
    return stream[0];
  }

  private static void checkEvent(NodeEvent e, String sender, Map<String, Long> lastSeq) {
    assertTrue(PARTICIPANTS.contains(e.node()), "the study heard " + e.node());
    if (e.message() == null) {
      assertNotNull(e.lostReason());
      return;
    }
    assertEquals(sender, e.node());
    assertEquals(STUDY, e.message().getHeader().getStudyId());
    long seq = e.message().getHeader().getSeq();
    Long before = lastSeq.put(sender, seq);
    assertTrue(before == null || seq > before, "sequence went from " + before + " to " + seq);
  }

  private static void frame(ByteArrayOutputStream out, int caller, NodeMessage.Builder m)
      throws IOException {
    out.write(caller);
    out.write(0);
    m.build().writeDelimitedTo(out);
  }

  /** A participant's hello then report reach the study; a replay and an outsider do not. */
  @Test
  void helloThenReport_reachesTheStudy_replayAndOutsiderDoNot() throws Exception {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frame(
        frames,
        0,
        NodeMessage.newBuilder()
            .setHeader(Header.newBuilder().setSeq(1))
            .setHello(Hello.newBuilder().setVersion("test")));
    NodeMessage.Builder report =
        NodeMessage.newBuilder()
            .setHeader(Header.newBuilder().setStudyId(STUDY).setStep("load").setSeq(2))
            .setStepReport(StepReport.newBuilder().setPhase("load").setDone(true));
    frame(frames, 0, report);
    frame(
        frames,
        2,
        NodeMessage.newBuilder()
            .setHeader(Header.newBuilder().setSeq(1))
            .setHello(Hello.newBuilder().setVersion("test")));
    frame(frames, 2, report.clone().setHeader(report.getHeader().toBuilder().setSeq(2)));
    frame(frames, 0, report); // replayed seq 2: refused, the session ends
    List<NodeEvent> events = run(frames.toByteArray());
    assertEquals(2, events.size(), events.toString());
    assertEquals("bank-a", events.get(0).node());
    assertTrue(events.get(0).message().hasStepReport());
    assertNull(events.get(1).message(), "the refused session is reported lost");
    assertTrue(events.get(1).lostReason().contains("out of sequence"), events.get(1).lostReason());
  }
}
