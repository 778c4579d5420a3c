package io.cleanroom.eval.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary bytes as a governance policy: a valid policy, or a {@link PolicyException} naming the
 * file.
 */
class PolicyReaderFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] yaml) {
    Policy policy;
    try {
      policy = PolicyReader.parse("policy.yaml", yaml);
    } catch (PolicyException e) {
      assertTrue(e.getMessage().startsWith("policy.yaml"), e.getMessage());
      return;
    }
    assertEquals(PolicyReader.VERSION, policy.version());
    assertEquals(64, policy.sha256().length());
  }
}
