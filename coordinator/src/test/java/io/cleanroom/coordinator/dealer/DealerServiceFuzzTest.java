package io.cleanroom.coordinator.dealer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cleanroom.coordinator.FuzzFrames;
import io.cleanroom.coordinator.RecordingObserver;
import io.cleanroom.protocol.testing.AsParty;
import io.cleanroom.protocol.wire.v1.DealerGrpc;
import io.cleanroom.protocol.wire.v1.RandomnessBatch;
import io.cleanroom.protocol.wire.v1.RandomnessRequest;
import io.grpc.Status;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;

/**
 * Arbitrary randomness requests from participants, a bank outside the study and the operator,
 * through {@link DealerService#randomness}: every call ends, either with well-formed batches of the
 * requested study or with a refusal status, never with an unexpected exception.
 *
 * <p>The input is a sequence of (one byte naming the caller, a length-delimited {@link
 * RandomnessRequest}); it ends at the first frame that is not a protocol buffer, which gRPC refuses
 * before any handler. Requests larger than {@value #MAX_FUZZED_ELEMENTS} elements are left out: the
 * dealer serves up to {@link DealerService#MAX_ELEMENTS}, and generating that much per execution
 * would stall the fuzzer; the limit itself has unit tests.
 */
class DealerServiceFuzzTest {
  private static final long MAX_FUZZED_ELEMENTS = 1 << 14;
  private static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.PERMISSION_DENIED,
          Status.Code.FAILED_PRECONDITION);
  private static AsParty parties;

  @FuzzTest(maxDuration = "60s")
  void randomness(byte[] input) throws IOException, GeneralSecurityException {
    parties = FuzzFrames.parties();
    DealerService dealer = new DealerService();
    dealer.open("st-1", List.of("bank-a", "bank-b"));
    FuzzFrames frames = new FuzzFrames(input);
    for (String caller; (caller = frames.caller()) != null; ) {
      RandomnessRequest request = frames.message(RandomnessRequest.parser());
      if (request == null || elements(request) > MAX_FUZZED_ELEMENTS) {
        return;
      }
      RecordingObserver<RandomnessBatch> responses = new RecordingObserver<>();
      parties.run(
          caller, DealerGrpc.getRandomnessMethod(), () -> dealer.randomness(request, responses));
      assertTrue(responses.ended(), "the call did not end");
      if (responses.error() != null) {
        assertTrue(REFUSALS.contains(responses.error().getCode()), responses.error().toString());
        continue;
      }
      for (RandomnessBatch b : responses.messages()) {
        assertEquals(request.getHeader().getStudyId(), b.getHeader().getStudyId());
        assertEquals(8L * b.getCount(), b.getPayload().size());
        assertTrue(b.getOffset() + b.getCount() <= b.getTotal(), b.toString());
      }
    }
  }

  /**
   * The elements a request asks for, by the sizes it names; any size over the cap counts as over.
   */
  private static long elements(RandomnessRequest r) {
    long sum = capped(r.getCount()) + capped(r.getNodes());
    for (long rows : r.getBlockRowsList()) {
      sum += capped(rows);
    }
    for (RandomnessRequest part : r.getPartsList()) {
      sum += elements(part);
    }
    return sum;
  }

  // Sizes are uint64 on the wire; a negative long is one of 2^63 or more.
  private static long capped(long size) {
    return size < 0 || size > MAX_FUZZED_ELEMENTS ? MAX_FUZZED_ELEMENTS + 1 : size;
  }
}
