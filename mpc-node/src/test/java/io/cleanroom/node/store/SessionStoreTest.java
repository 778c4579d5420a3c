package io.cleanroom.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.store.SessionStore.IntegrityException;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

  private static final int SEGMENT = SessionStore.SEGMENT_SIZE;
  private static final int SEALED = SEGMENT + SessionStore.TAG_SIZE;
  private static final int HEADER = SessionStore.HEADER_SIZE;
  private static final byte[] MARKER =
      "MARKER-0123456789abcdef-plaintxt".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path root;

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** 5 MB of pseudo-random data streamed in odd-sized chunks, so segments are not aligned. */
  private static byte[] writeLarge(SessionStore store, String name) throws IOException {
    byte[] data = random(5_000_000, 42);
    try (OutputStream out = store.openWriter(name)) {
      int off = 0;
      int step = 1;
      while (off < data.length) {
        int n = Math.min(step, data.length - off);
        out.write(data, off, n);
        off += n;
        step = step * 7 % 100_003 + 1;
      }
    }
    return data;
  }

  private static byte[] readInChunks(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[12_345];
    int n;
    while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
      all.write(buffer, 0, n);
    }
    return all.toByteArray();
  }

  private static IntegrityException readFails(SessionStore store, String name) {
    return assertThrows(IntegrityException.class, () -> store.read(name));
  }

  @Test
  void roundTrip_smallAndEmpty() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    byte[] small = "share vector for bank-a".getBytes(StandardCharsets.UTF_8);

    store.write("shares.bin", small);
    store.write("empty", new byte[0]);

    assertArrayEquals(small, store.read("shares.bin"));
    assertArrayEquals(new byte[0], store.read("empty"));
    assertEquals(List.of("empty", "shares.bin"), store.names());
    assertEquals(root.resolve("st-1"), store.folder());
    assertEquals(HEADER + small.length + 16, Files.size(root.resolve("st-1/shares.bin")));
    assertEquals(HEADER + 16, Files.size(root.resolve("st-1/empty")));
  }

  @Test
  void roundTrip_largeStreamed() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");

    byte[] data = writeLarge(store, "big");

    try (InputStream in = store.openReader("big")) {
      assertArrayEquals(data, readInChunks(in));
    }
    assertArrayEquals(data, store.read("big"));
    int segments = (data.length + SEGMENT - 1) / SEGMENT;
    assertEquals(HEADER + data.length + 16L * segments, Files.size(store.folder().resolve("big")));
  }

  @Test
  void roundTrip_exactMultipleOfSegmentSize_andSingleByteReads() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    byte[] data = random(2 * SEGMENT, 7);

    store.write("aligned", data);

    try (InputStream in = store.openReader("aligned")) {
      for (int i = 0; i < 1000; i++) {
        assertEquals(data[i] & 0xff, in.read());
      }
      byte[] rest = in.readAllBytes();
      assertArrayEquals(Arrays.copyOfRange(data, 1000, data.length), rest);
      assertEquals(-1, in.read());
    }
    assertEquals(HEADER + 2L * SEALED, Files.size(store.folder().resolve("aligned")));
  }

  @Test
  void diskHoldsNeitherPlaintextNorKey() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    byte[] data = new byte[3 * SEGMENT + 100];
    for (int off = 0; off + MARKER.length <= data.length; off += MARKER.length) {
      System.arraycopy(MARKER, 0, data, off, MARKER.length);
    }
    store.write("marked", data);
    byte[] key = store.studyKeyForTest().clone();

    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] raw = Files.readAllBytes(file);
        assertFalse(contains(raw, MARKER), file + " contains the plaintext marker");
        assertFalse(contains(raw, key), file + " contains the study key");
      }
    }
    assertArrayEquals(data, store.read("marked"));
  }

  @Test
  void tamperedByte_failsNamingFileAndSegment() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    writeLarge(store, "big");
    Path file = store.folder().resolve("big");
    byte[] raw = Files.readAllBytes(file);
    raw[HEADER + 3 * SEALED + 1000] ^= 0x01;
    Files.write(file, raw);

    IntegrityException e = readFails(store, "big");

    assertEquals(3, e.segment());
    assertEquals("big", e.name());
    assertEquals("st-1", e.studyId());
    assertEquals(
        "segment 3 of file big in study st-1 failed authentication: the file was modified,"
            + " truncated, had segments reordered, or was moved from another file name or study",
        e.getMessage());
  }

  @Test
  void tamperedHeader_failsAtFirstSegment() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("f", random(1000, 1));
    Path file = store.folder().resolve("f");
    byte[] raw = Files.readAllBytes(file);
    raw[20] ^= 0x01; // inside the salt
    Files.write(file, raw);

    assertEquals(0, readFails(store, "f").segment());

    raw[0] = 'X';
    Files.write(file, raw);
    assertEquals(
        "file f in study st-1 is not a session store file (bad magic)",
        readFails(store, "f").getMessage());
  }

  @Test
  void truncatedAtSegmentBoundary_reportedAsTruncation() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    writeLarge(store, "big");
    Path file = store.folder().resolve("big");
    byte[] raw = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(raw, HEADER + 4 * SEALED));

    IntegrityException e = readFails(store, "big");

    assertEquals(3, e.segment());
    assertEquals(
        "file big in study st-1 is truncated: it ends after segment 3, which was not written as"
            + " the last segment",
        e.getMessage());
  }

  @Test
  void truncatedInsideSegmentOrHeader_fails() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    writeLarge(store, "big");
    Path file = store.folder().resolve("big");
    byte[] raw = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(raw, raw.length - 1));
    assertEquals(19, readFails(store, "big").segment());

    Files.write(file, Arrays.copyOf(raw, HEADER + 2 * SEALED + 5));
    IntegrityException e = readFails(store, "big");
    assertEquals(2, e.segment());
    assertTrue(e.getMessage().contains("truncated: segment 2 has 5 bytes"), e.getMessage());

    Files.write(file, Arrays.copyOf(raw, HEADER));
    assertTrue(readFails(store, "big").getMessage().contains("segment 0 has 0 bytes"));

    Files.write(file, Arrays.copyOf(raw, 10));
    assertEquals(
        "file big in study st-1 is truncated: 10 bytes, shorter than the 48-byte header",
        readFails(store, "big").getMessage());
  }

  @Test
  void swappedSegments_fail() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    writeLarge(store, "big");
    Path file = store.folder().resolve("big");
    byte[] raw = Files.readAllBytes(file);
    byte[] swapped = raw.clone();
    System.arraycopy(raw, HEADER + SEALED, swapped, HEADER + 2 * SEALED, SEALED);
    System.arraycopy(raw, HEADER + 2 * SEALED, swapped, HEADER + SEALED, SEALED);
    Files.write(file, swapped);

    try (InputStream in = store.openReader("big")) {
      // Segment 0 is intact and is delivered before the failure.
      assertEquals(SEGMENT, in.readNBytes(SEGMENT).length);
      IntegrityException e = assertThrows(IntegrityException.class, () -> in.read());
      assertEquals(1, e.segment());
    }
  }

  @Test
  void renamedFile_fails() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("a", random(1000, 1));
    Files.move(store.folder().resolve("a"), store.folder().resolve("b"));

    IntegrityException e = readFails(store, "b");

    assertEquals(0, e.segment());
    assertTrue(e.getMessage().startsWith("segment 0 of file b in study st-1"), e.getMessage());
  }

  @Test
  void swappedFilesOfSameStudy_fail() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("a", random(1000, 1));
    store.write("b", random(1000, 2));
    Path a = store.folder().resolve("a");
    Path b = store.folder().resolve("b");
    Path tmp = root.resolve("tmp");
    Files.move(a, tmp);
    Files.move(b, a);
    Files.move(tmp, b);

    assertEquals(0, readFails(store, "a").segment());
    assertEquals(0, readFails(store, "b").segment());
  }

  @Test
  void fileCopiedIntoAnotherStudy_fails() throws Exception {
    SessionStore one = SessionStore.create(root, "st-1");
    SessionStore two = SessionStore.create(root, "st-2");
    one.write("shares", random(1000, 1));
    Files.copy(one.folder().resolve("shares"), two.folder().resolve("shares"));

    assertEquals(List.of("shares"), two.names());
    IntegrityException e = readFails(two, "shares");
    assertTrue(e.getMessage().startsWith("segment 0 of file shares in study st-2"), e.getMessage());
  }

  @Test
  void badNames_refused() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");

    for (String bad :
        new String[] {"", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a..b", "-x", "a b", "é"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.write(bad, new byte[1]), bad);
      assertTrue(
          e.getMessage().startsWith("file name \"" + bad + "\" in study st-1 is not allowed"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> store.read(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> store.openWriter("x".repeat(129)));
    assertThrows(IllegalArgumentException.class, () -> store.openWriter(null));
    try (Stream<Path> files = Files.list(store.folder())) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void badStudyIds_refused() throws Exception {
    for (String bad : new String[] {"", "..", "../st", "a/b", "/abs", ".st", "st..1", "s t"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SessionStore.create(root, bad), bad);
      assertTrue(
          e.getMessage().startsWith("study id \"" + bad + "\" is not a safe folder name"),
          e.getMessage());
    }
    assertEquals(List.of(), listing(root));
  }

  @Test
  void create_existingFolder_refused() throws Exception {
    SessionStore.create(root, "st-1");

    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> SessionStore.create(root, "st-1"));

    assertTrue(
        e.getMessage()
            .contains("session folder of study st-1 already exists; refusing to open a second"),
        e.getMessage());
    assertEquals(root.resolve("st-1").toString(), e.getFile());
  }

  @Test
  void create_makesMissingRoot() throws Exception {
    SessionStore store = SessionStore.create(root.resolve("a/b"), "st-1");

    assertTrue(Files.isDirectory(root.resolve("a/b/st-1")));
    store.write("x", new byte[] {1});
    assertArrayEquals(new byte[] {1}, store.read("x"));
  }

  @Test
  void writeOnce_andMissingFile() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("x", new byte[] {1});

    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> store.write("x", new byte[] {2}));
    assertTrue(e.getMessage().contains("file x already exists in study st-1"), e.getMessage());
    assertArrayEquals(new byte[] {1}, store.read("x"));

    NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> store.read("nope"));
    assertTrue(missing.getMessage().contains("no file nope in study st-1"), missing.getMessage());
  }

  @Test
  void fileBeingWritten_notListedNorReadable() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("done", new byte[] {1});

    try (OutputStream out = store.openWriter("partial")) {
      out.write(new byte[10]);
      assertEquals(List.of("done"), store.names());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> store.openReader("partial"));
      assertEquals("file partial in study st-1 is still being written", e.getMessage());
    }
    assertEquals(List.of("done", "partial"), store.names());
    assertArrayEquals(new byte[10], store.read("partial"));
  }

  @Test
  void destroy_removesEverythingAndReportsCounts() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("a", random(1000, 1));
    writeLarge(store, "big");
    store.write("empty", new byte[0]);
    long sizeA = Files.size(store.folder().resolve("a"));
    long sizeBig = Files.size(store.folder().resolve("big"));
    long sizeEmpty = Files.size(store.folder().resolve("empty"));
    long before = System.currentTimeMillis();

    DestructionReceipt.Unsigned receipt = store.destroy();

    try (Stream<Path> left = Files.walk(root)) {
      assertEquals(List.of(root), left.toList());
    }
    assertEquals("st-1", receipt.studyId());
    assertEquals(3, receipt.files());
    assertEquals(sizeA + sizeBig + sizeEmpty, receipt.bytes());
    assertEquals(
        listingDigest(new String[] {"a", "big", "empty"}, new long[] {sizeA, sizeBig, sizeEmpty}),
        receipt.listingSha256());
    assertTrue(receipt.destroyedAtMillis() >= before);
    assertTrue(receipt.destroyedAtMillis() <= System.currentTimeMillis());
  }

  @Test
  void destroy_emptyStudy() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");

    DestructionReceipt.Unsigned receipt = store.destroy();

    assertEquals(0, receipt.files());
    assertEquals(0, receipt.bytes());
    assertEquals(listingDigest(new String[0], new long[0]), receipt.listingSha256());
    assertFalse(Files.exists(root.resolve("st-1")));
  }

  @Test
  void destroy_zeroesKey() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    byte[] key = store.studyKeyForTest();
    assertFalse(Arrays.equals(new byte[32], key), "key was never drawn");

    store.destroy();

    assertArrayEquals(new byte[32], key);
  }

  @Test
  void destroy_removesStrayEntriesToo() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("a", new byte[] {1});
    Files.createDirectory(store.folder().resolve("sub"));
    Files.write(store.folder().resolve("sub/stray"), new byte[] {1, 2, 3});

    DestructionReceipt.Unsigned receipt = store.destroy();

    assertEquals(2, receipt.files());
    assertEquals(HEADER + 1 + 16 + 3, receipt.bytes());
    try (Stream<Path> left = Files.walk(root)) {
      assertEquals(List.of(root), left.toList());
    }
  }

  @Test
  void afterDestroy_everyOperationFails() throws Exception {
    SessionStore store = SessionStore.create(root, "st-1");
    store.write("a", new byte[] {1});
    OutputStream writer = store.openWriter("open-writer");
    writer.write(new byte[100]);
    InputStream reader = store.openReader("a");

    DestructionReceipt.Unsigned receipt = store.destroy();

    assertEquals(2, receipt.files());
    List<Executable> operations =
        List.of(
            () -> store.write("b", new byte[1]),
            () -> store.openWriter("b"),
            () -> store.read("a"),
            () -> store.openReader("a"),
            store::names,
            store::folder,
            store::destroy,
            () -> writer.write(1),
            writer::flush,
            writer::close,
            () -> reader.read(),
            reader::close);
    for (Executable operation : operations) {
      IllegalStateException e = assertThrows(IllegalStateException.class, operation);
      assertEquals("study st-1 destroyed", e.getMessage());
    }
    try (Stream<Path> left = Files.walk(root)) {
      assertEquals(List.of(root), left.toList());
    }
  }

  @Test
  void destroyedStudyId_canBeCreatedAgainWithNewKey() throws Exception {
    SessionStore first = SessionStore.create(root, "st-1");
    first.write("a", new byte[] {1});
    byte[] oldFile = Files.readAllBytes(first.folder().resolve("a"));
    first.destroy();

    SessionStore second = SessionStore.create(root, "st-1");
    Files.write(second.folder().resolve("a"), oldFile, StandardOpenOption.CREATE_NEW);

    assertEquals(0, readFails(second, "a").segment());
  }

  @Test
  void movedAcrossStudiesWithReplace_stillDetected() throws Exception {
    SessionStore one = SessionStore.create(root, "st-1");
    SessionStore two = SessionStore.create(root, "st-2");
    one.write("x", random(100, 1));
    two.write("x", random(100, 2));

    Files.copy(
        one.folder().resolve("x"), two.folder().resolve("x"), StandardCopyOption.REPLACE_EXISTING);

    readFails(two, "x");
    assertEquals(100, one.read("x").length);
  }

  private static String listingDigest(String[] names, long[] sizes) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < names.length; i++) {
      byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
      sha256.update(ByteBuffer.allocate(4).putInt(name.length).array());
      sha256.update(name);
      sha256.update(ByteBuffer.allocate(8).putLong(sizes[i]).array());
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
