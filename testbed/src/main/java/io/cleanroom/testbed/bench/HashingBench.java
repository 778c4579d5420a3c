package io.cleanroom.testbed.bench;

import io.cleanroom.protocol.linkage.HmacLinkageHasher;
import io.cleanroom.protocol.linkage.LinkageHasher;
import io.cleanroom.protocol.wire.v1.IdentifierKind;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyed hashing of identifiers on one core (HMAC-SHA256, truncated to 128 bits), against what a
 * plaintext join does with the same identifiers: put them in a hash table.
 */
final class HashingBench implements Benchmark {

  @Override
  public List<String> names() {
    return List.of("hashing");
  }

  @Override
  public List<Map<String, Object>> run(BenchOptions o) {
    int n = o.rows();
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = String.format("09%08d", i);
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    HmacLinkageHasher h = new HmacLinkageHasher(key);
    byte[] out = new byte[LinkageHasher.BYTES * 1024];
    for (int i = 0; i < Math.min(n, 200_000); i++) {
      h.blind(IdentifierKind.PHONE, ids[i], out, (i & 1023) * LinkageHasher.BYTES);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      h.blind(IdentifierKind.PHONE, ids[i], out, (i & 1023) * LinkageHasher.BYTES);
    }
    double secure = (System.nanoTime() - t0) / 1e9;
    long p0 = System.nanoTime();
    Map<String, Integer> table = new HashMap<>(2 * n);
    for (int i = 0; i < n; i++) {
      table.put(ids[i], i);
    }
    double plaintext = (System.nanoTime() - p0) / 1e9;
    if (table.size() != n || out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0) {
      throw new IllegalStateException("hashing benchmark produced nothing");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "hashing");
    m.put("n", n);
    m.put("threads", 1);
    m.put("secure_s", secure);
    m.put("plaintext_s", plaintext);
    m.put("ratio", secure / plaintext);
    m.put("rate_per_s", n / secure);
    m.put("plaintext_rate_per_s", n / plaintext);
    return List.of(m);
  }
}
