package io.cleanroom.node.store;

import io.cleanroom.protocol.store.DestructionReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Everything a bank node writes to disk for one study — shares, handles, intermediate results —
 * encrypted under a key that exists only in this object, and destroyed verifiably when the study
 * ends.
 *
 * <h2>Where and under which key</h2>
 *
 * <p>{@link #create} makes the folder {@code <root>/<studyId>/} (mode 0700 where the file system is
 * POSIX) and draws a fresh 256-bit study key from {@link SecureRandom}. The study key is never
 * written anywhere: not to the folder, not to a log, not to the coordinator. If the node crashes or
 * is killed, the folder is left holding only ciphertext that nobody can decrypt, and {@link
 * #create} refuses to reuse it; the node's {@link WorkFolder} deletes it when the node next starts.
 *
 * <h2>On-disk format of one file</h2>
 *
 * <p>Chunked online authenticated encryption in the manner of Tink's {@code AesGcmHkdfStreaming}
 * (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its Nonce-Reuse
 * Misuse-Resistance", CRYPTO 2015):
 *
 * <pre>
 * header (48 bytes) = "CRSS" | version 0x01 | plaintext segment size (4 bytes, big-endian)
 *                     | salt (32 random bytes) | nonce prefix (7 random bytes)
 * segment i         = AES-256-GCM(file key, nonce_i, aad, plaintext_i) = ciphertext_i | tag (16)
 * file key          = HKDF-SHA256(ikm = study key, salt = salt,
 *                                 info = "cleanroom-session-store-v1" | lp(study id) | lp(name))
 * nonce_i (12)      = nonce prefix (7) | i (4 bytes, big-endian) | 0x01 if last segment else 0x00
 * aad               = header | lp(study id) | lp(name)
 * lp(s)             = length of UTF-8 s (4 bytes, big-endian) | UTF-8 s
 * </pre>
 *
 * <p>Every segment but the last holds exactly {@value #SEGMENT_SIZE} plaintext bytes; the last
 * holds 0 to {@value #SEGMENT_SIZE}, so an empty file is a header and one 16-byte tag. A reader
 * learns a segment is the last from the end of the file and opens it with the last-segment flag
 * set, so dropping trailing segments, reordering segments, changing any byte, renaming the file or
 * moving it into another study's folder makes some segment fail authentication, and reading reports
 * an {@link IntegrityException} naming the study, the file and the segment. Plaintext is released
 * only segment by segment after the segment's tag has been checked.
 *
 * <h2>Files</h2>
 *
 * <p>Names are 1 to 128 letters, digits, '.', '_' and '-', start with a letter or digit and contain
 * no "..", so a name is always one entry directly inside the study folder. Files are written once:
 * writing a name that exists is refused. A file becomes readable when its writer is closed; until
 * then it is not listed by {@link #names()}. Closing a writer seals whatever was written as the
 * complete file: the store cannot tell a producer that gave up half-way from one that finished. A
 * streaming reader hands out each segment once it is authenticated, so when a later segment fails
 * the caller has already seen the earlier ones and must discard everything it read.
 *
 * <h2>Destruction</h2>
 *
 * <p>{@link #destroy()} first closes any open readers and writers and erases the keys, then
 * overwrites every file in the folder with zeros (forced to the device), deletes every file and the
 * folder, and checks that the folder no longer exists. Overwriting is best effort only: on SSDs and
 * copy-on-write or journaling file systems the old blocks may survive wear levelling or snapshots.
 * The guarantee is crypto-shredding: once the study key is erased, whatever remains on the device
 * is ciphertext under a key that no longer exists.
 *
 * <p>What is erased, by overwriting with zeros: the 32-byte study key array owned by this object
 * (by {@link #destroy()}); each file's 32-byte key, i.e. the array inside the BouncyCastle {@link
 * KeyParameter} this class creates, which is also the array GCM keeps for its nonce-reuse check
 * (when the file's stream is closed, or by {@link #destroy()} for streams still open); the
 * intermediate HKDF key (right after use); and the plaintext and ciphertext segment buffers of each
 * stream (at the same time as its key). What is not: values BouncyCastle derives inside its own
 * objects — the AES round keys of {@link AESEngine}, GCM's hash subkey and multiplication tables,
 * the hash states HMAC keeps for the intermediate HKDF key — which are unreachable from here and
 * are dropped for the garbage collector; copies the JVM may have made while moving arrays during
 * garbage collection; and arrays the caller passed to a writer or received from a reader, which
 * belong to the caller. The study key itself only ever enters HMAC as message data, which the
 * digest wipes after each use. This class does not use the JCA, whose providers keep their own key
 * copies beyond reach.
 *
 * <p>After {@link #destroy()}, every method of the store except {@link #studyId()}, and every
 * method of its streams, throws {@link IllegalStateException} "study X destroyed".
 *
 * <p>Thread safety: the store may be used from several threads; each stream is for one thread at a
 * time.
 */
public final class SessionStore {

  /** Plaintext bytes per segment (256 KiB). */
  public static final int SEGMENT_SIZE = 256 * 1024;

  static final int TAG_SIZE = 16;
  static final int HEADER_SIZE = 48;
  static final int MIN_SEGMENT_SIZE = 64 * 1024;
  static final int MAX_SEGMENT_SIZE = 1024 * 1024;

  private static final byte[] MAGIC = {'C', 'R', 'S', 'S'};
  private static final byte VERSION = 1;
  private static final int SALT_SIZE = 32;
  private static final int PREFIX_SIZE = 7;
  private static final int KEY_SIZE = 32;
  private static final long MAX_SEGMENTS = 0xFFFF_FFFFL;
  private static final byte[] KDF_LABEL =
      "cleanroom-session-store-v1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String studyId;
  private final Path folder;
  private final boolean posix;
  private final byte[] studyKey = new byte[KEY_SIZE];
  private final Object lock = new Object();
  private final Set<OpenStream> open = new HashSet<>();
  private final Set<String> writing = new HashSet<>();
  private volatile boolean destroyed;

  private SessionStore(String studyId, Path folder, boolean posix) {
    this.studyId = studyId;
    this.folder = folder;
    this.posix = posix;
    RANDOM.nextBytes(studyKey);
  }

  /**
   * Creates the study's folder {@code <root>/<studyId>/} (and {@code root} if needed) and a fresh
   * study key.
   *
   * @param studyId 1 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit,
   *     without ".."
   * @throws IllegalArgumentException if {@code studyId} is not a safe folder name
   * @throws FileAlreadyExistsException if the folder already exists: a session for this study is
   *     open or was not destroyed (e.g. the node crashed); its contents are unreadable, and the
   *     node removes them when it next starts ({@link WorkFolder#open})
   */
  public static SessionStore create(Path root, String studyId) throws IOException {
    Objects.requireNonNull(root, "root");
    if (!isSafeName(studyId)) {
      throw new IllegalArgumentException(
          "study id \""
              + studyId
              + "\" is not a safe folder name: expected 1 to 128 letters, digits, '.', '_' or '-',"
              + " starting with a letter or digit, without \"..\"");
    }
    Files.createDirectories(root);
    Path folder = root.resolve(studyId);
    boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (posix) {
        Files.createDirectory(
            folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(folder);
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          folder.toString(),
          null,
          "session folder of study "
              + studyId
              + " already exists; refusing to open a second session over it (left over from a"
              + " session that was not destroyed? its contents are unreadable without the lost key;"
              + " the node removes them when it next starts)");
    }
    return new SessionStore(studyId, folder, posix);
  }

  /** The study this store belongs to. */
  public String studyId() {
    return studyId;
  }

  /** The study's folder, {@code <root>/<studyId>}. */
  public Path folder() {
    checkOpen();
    return folder;
  }

  /**
   * Encrypts {@code data} into a new file {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is not a safe file name
   * @throws FileAlreadyExistsException if {@code name} exists in this study
   */
  public void write(String name, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    try (OutputStream out = openWriter(name)) {
      out.write(data);
    }
  }

  /**
   * Opens a new file {@code name} for streaming encryption, one segment of {@value #SEGMENT_SIZE}
   * bytes in memory at a time. {@link OutputStream#flush()} writes nothing: only whole segments
   * reach the disk, and {@link OutputStream#close()} writes the last one.
   *
   * @throws IllegalArgumentException if {@code name} is not a safe file name
   * @throws FileAlreadyExistsException if {@code name} exists in this study
   */
  public OutputStream openWriter(String name) throws IOException {
    checkName(name);
    synchronized (lock) {
      checkOpen();
      Path file = folder.resolve(name);
      SeekableByteChannel channel;
      try {
        channel =
            Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes());
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(
            file.toString(),
            null,
            "file " + name + " already exists in study " + studyId + "; files are written once");
      }
      FileCipher cipher = null;
      Writer writer;
      try {
        cipher = new FileCipher(name, newHeader(SEGMENT_SIZE));
        writer = new Writer(cipher, channel);
        writer.writeHeader();
      } catch (IOException | RuntimeException e) {
        if (cipher != null) {
          cipher.wipe();
        }
        channel.close();
        Files.deleteIfExists(file);
        throw e;
      }
      open.add(writer);
      writing.add(name);
      return writer;
    }
  }

  /**
   * Decrypts the whole file {@code name}.
   *
   * @throws NoSuchFileException if there is no such file in this study
   * @throws IntegrityException if the file fails authentication
   */
  public byte[] read(String name) throws IOException {
    try (InputStream in = openReader(name)) {
      return in.readAllBytes();
    }
  }

  /**
   * Opens file {@code name} for streaming decryption. Reads fail with {@link IntegrityException}
   * naming the segment as soon as a segment fails authentication; no plaintext of that segment is
   * returned.
   *
   * @throws NoSuchFileException if there is no such file in this study
   * @throws IllegalStateException if the file is still being written
   */
  public InputStream openReader(String name) throws IOException {
    checkName(name);
    synchronized (lock) {
      checkOpen();
      if (writing.contains(name)) {
        throw new IllegalStateException(
            "file " + name + " in study " + studyId + " is still being written");
      }
      Path file = folder.resolve(name);
      InputStream in;
      try {
        in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new NoSuchFileException(
            file.toString(), null, "no file " + name + " in study " + studyId);
      }
      Reader reader;
      try {
        reader = new Reader(new FileCipher(name, readHeader(name, in)), in);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
      open.add(reader);
      return reader;
    }
  }

  /**
   * The names of the complete files in this study, sorted; files still being written are left out.
   */
  public List<String> names() throws IOException {
    synchronized (lock) {
      checkOpen();
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (isSafeName(name)
              && !writing.contains(name)
              && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            names.add(name);
          }
        }
      }
      names.sort(null);
      return names;
    }
  }

  /**
   * Destroys the study's data: closes open streams, erases the keys, overwrites every file in the
   * folder with zeros, deletes the files and the folder, and checks the folder is gone. See the
   * class comment for what overwriting can and cannot achieve and what exactly is erased.
   *
   * <p>The listing digest in the result is the SHA-256 of, for each deleted file in ascending
   * unsigned order of the UTF-8 bytes of its path relative to the folder ('/'-separated): the
   * 4-byte big-endian length of that UTF-8 path, the path, and its size in bytes on disk as an
   * 8-byte big-endian integer. Symbolic links found in the folder are deleted without following
   * them and counted with size 0.
   *
   * <p>The keys are erased and the store is destroyed even if deleting fails; the exception then
   * names what is left, which is unreadable ciphertext.
   *
   * @return the counts for a {@link DestructionReceipt}, to be signed by the node
   * @throws IOException if a file or the folder cannot be overwritten or deleted, or the folder
   *     still exists afterwards
   */
  public DestructionReceipt.Unsigned destroy() throws IOException {
    List<OpenStream> streams;
    synchronized (lock) {
      checkOpen();
      destroyed = true;
      streams = new ArrayList<>(open);
      open.clear();
      writing.clear();
      Arrays.fill(studyKey, (byte) 0);
    }
    IOException closing = null;
    for (OpenStream stream : streams) {
      try {
        stream.abort();
      } catch (IOException e) {
        if (closing == null) {
          closing = e;
        } else {
          closing.addSuppressed(e);
        }
      }
    }
    Shredder shredder = new Shredder();
    try {
      Files.walkFileTree(folder, shredder);
    } catch (IOException e) {
      IOException failure =
          new IOException(
              "destroying study "
                  + studyId
                  + ": could not remove everything in "
                  + folder
                  + " ("
                  + e
                  + "); the keys are erased, what is left is unreadable ciphertext",
              e);
      if (closing != null) {
        failure.addSuppressed(closing);
      }
      throw failure;
    }
    if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "destroying study " + studyId + ": folder " + folder + " still exists after deletion");
    }
    return new DestructionReceipt.Unsigned(
        studyId, shredder.files, shredder.bytes, shredder.digest(), System.currentTimeMillis());
  }

  /** The live study key array, for tests checking that {@link #destroy()} zeroes it. */
  byte[] studyKeyForTest() {
    return studyKey;
  }

  private void checkOpen() {
    if (destroyed) {
      throw new IllegalStateException("study " + studyId + " destroyed");
    }
  }

  private void checkName(String name) {
    if (!isSafeName(name)) {
      throw new IllegalArgumentException(
          "file name \""
              + name
              + "\" in study "
              + studyId
              + " is not allowed: expected 1 to 128 letters, digits, '.', '_' or '-', starting"
              + " with a letter or digit, without \"..\" or path separators");
    }
  }

  private static boolean isSafeName(String name) {
    return name != null && SAFE_NAME.matcher(name).matches() && !name.contains("..");
  }

  private FileAttribute<?>[] fileAttributes() {
    if (!posix) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }

  private void unregister(OpenStream stream, String writtenName) {
    synchronized (lock) {
      open.remove(stream);
      if (writtenName != null) {
        writing.remove(writtenName);
      }
    }
  }

  private static byte[] newHeader(int segmentSize) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    header.put(MAGIC).put(VERSION).putInt(segmentSize);
    byte[] random = new byte[SALT_SIZE + PREFIX_SIZE];
    RANDOM.nextBytes(random);
    header.put(random);
    return header.array();
  }

  private byte[] readHeader(String name, InputStream in) throws IOException {
    byte[] header = in.readNBytes(HEADER_SIZE);
    if (header.length < HEADER_SIZE) {
      throw new IntegrityException(
          studyId,
          name,
          -1,
          "file "
              + name
              + " in study "
              + studyId
              + " is truncated: "
              + header.length
              + " bytes, shorter than the "
              + HEADER_SIZE
              + "-byte header");
    }
    if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IntegrityException(
          studyId,
          name,
          -1,
          "file " + name + " in study " + studyId + " is not a session store file (bad magic)");
    }
    if (header[MAGIC.length] != VERSION) {
      throw new IntegrityException(
          studyId,
          name,
          -1,
          "file "
              + name
              + " in study "
              + studyId
              + " has unsupported format version "
              + (header[MAGIC.length] & 0xff));
    }
    int segmentSize = ByteBuffer.wrap(header, MAGIC.length + 1, Integer.BYTES).getInt();
    if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new IntegrityException(
          studyId,
          name,
          -1,
          "file "
              + name
              + " in study "
              + studyId
              + " declares segment size "
              + segmentSize
              + ", outside "
              + MIN_SEGMENT_SIZE
              + ".."
              + MAX_SEGMENT_SIZE);
    }
    return header;
  }

  // HKDF-SHA256 (RFC 5869) with one output block. Written out instead of BouncyCastle's
  // HKDFBytesGenerator, whose parameters keep unreachable copies of the input key.
  private KeyParameter fileKey(String name, byte[] header) {
    byte[] salt =
        Arrays.copyOfRange(header, MAGIC.length + 1 + Integer.BYTES, HEADER_SIZE - PREFIX_SIZE);
    HMac hmac = new HMac(SHA256Digest.newInstance());
    hmac.init(new KeyParameter(salt));
    hmac.update(studyKey, 0, studyKey.length);
    byte[] prk = new byte[KEY_SIZE];
    hmac.doFinal(prk, 0);
    KeyParameter prkKey = new KeyParameter(prk);
    Arrays.fill(prk, (byte) 0);
    hmac.init(prkKey);
    Arrays.fill(prkKey.getKey(), (byte) 0);
    byte[] info = concat(KDF_LABEL, context(name));
    hmac.update(info, 0, info.length);
    hmac.update((byte) 1);
    byte[] okm = new byte[KEY_SIZE];
    hmac.doFinal(okm, 0);
    hmac.init(new KeyParameter(new byte[KEY_SIZE]));
    KeyParameter key = new KeyParameter(okm);
    Arrays.fill(okm, (byte) 0);
    return key;
  }

  private byte[] context(String name) {
    byte[] study = studyId.getBytes(StandardCharsets.UTF_8);
    byte[] file = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 * Integer.BYTES + study.length + file.length)
        .putInt(study.length)
        .put(study)
        .putInt(file.length)
        .put(file)
        .array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] nonce(byte[] header, long segment, boolean last) {
    return ByteBuffer.allocate(12)
        .put(header, HEADER_SIZE - PREFIX_SIZE, PREFIX_SIZE)
        .putInt((int) segment)
        .put(last ? (byte) 1 : (byte) 0)
        .array();
  }

  /** A segment of a file failed authentication, or the file is not a well-formed store file. */
  public static final class IntegrityException extends IOException {

    private final String studyId;
    private final String name;
    private final long segment;

    IntegrityException(String studyId, String name, long segment, String message) {
      super(message);
      this.studyId = studyId;
      this.name = name;
      this.segment = segment;
    }

    /** The study of the file. */
    public String studyId() {
      return studyId;
    }

    /** The file's name. */
    public String name() {
      return name;
    }

    /** The segment that failed (from 0), or -1 if the header is at fault. */
    public long segment() {
      return segment;
    }
  }

  /** An open reader or writer, which {@link #destroy()} must close first. */
  private interface OpenStream {
    /** Closes without completing anything and wipes keys and buffers. */
    void abort() throws IOException;
  }

  /** One file's key, header and segment cipher, shared by its reader or writer. */
  private final class FileCipher {

    final String name;
    final byte[] header;
    final int segmentSize;
    final byte[] plain;
    private final byte[] aad;
    private final KeyParameter key;
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private boolean keyLoaded;

    FileCipher(String name, byte[] header) {
      this.name = name;
      this.header = header;
      this.aad = concat(header, context(name));
      this.key = fileKey(name, header);
      this.segmentSize = ByteBuffer.wrap(header, MAGIC.length + 1, Integer.BYTES).getInt();
      this.plain = new byte[segmentSize];
    }

    /**
     * Seals {@code plain[0, length)} into {@code out} as segment {@code index}; returns its size.
     */
    int seal(long index, boolean last, int length, byte[] out) throws InvalidCipherTextException {
      init(true, index, last);
      int n = gcm.processBytes(plain, 0, length, out, 0);
      return n + gcm.doFinal(out, n);
    }

    /**
     * Opens segment {@code index} from {@code in[0, length)} into {@link #plain}; returns the
     * plaintext size. On failure {@link #plain} holds nothing of the segment.
     */
    int open(long index, boolean last, byte[] in, int length) throws InvalidCipherTextException {
      init(false, index, last);
      try {
        int n = gcm.processBytes(in, 0, length, plain, 0);
        return n + gcm.doFinal(plain, n);
      } catch (InvalidCipherTextException e) {
        Arrays.fill(plain, (byte) 0);
        throw e;
      }
    }

    void wipe() {
      Arrays.fill(key.getKey(), (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }

    private void init(boolean encrypt, long index, boolean last) {
      // The key is expanded once per file; later segments only change the nonce.
      gcm.init(
          encrypt,
          new AEADParameters(
              keyLoaded ? null : key, TAG_SIZE * 8, nonce(header, index, last), aad));
      keyLoaded = true;
    }
  }

  private final class Writer extends OutputStream implements OpenStream {

    private final FileCipher file;
    private final SeekableByteChannel channel;
    private final byte[] sealed;
    private long segment;
    private int filled;
    private boolean closed;
    private boolean failed;

    Writer(FileCipher file, SeekableByteChannel channel) {
      this.file = file;
      this.channel = channel;
      this.sealed = new byte[file.segmentSize + TAG_SIZE];
    }

    void writeHeader() throws IOException {
      writeFully(file.header, file.header.length);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureWritable();
      while (len > 0) {
        if (filled == file.segmentSize) {
          seal(false);
        }
        int n = Math.min(len, file.segmentSize - filled);
        System.arraycopy(b, off, file.plain, filled, n);
        filled += n;
        off += n;
        len -= n;
      }
    }

    /** Writes nothing: only whole segments reach the disk. */
    @Override
    public synchronized void flush() {
      checkOpen();
    }

    @Override
    public void close() throws IOException {
      checkOpen();
      boolean wasFailed;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        wasFailed = failed;
        try {
          if (!failed) {
            seal(true);
          }
        } finally {
          file.wipe();
          Arrays.fill(sealed, (byte) 0);
          try {
            channel.close();
          } finally {
            unregister(this, file.name);
          }
        }
      }
      if (wasFailed) {
        throw new IOException(
            "file "
                + file.name
                + " in study "
                + studyId
                + " is incomplete: an earlier write failed, so it was not sealed");
      }
    }

    @Override
    public synchronized void abort() throws IOException {
      closed = true;
      file.wipe();
      Arrays.fill(sealed, (byte) 0);
      channel.close();
    }

    private void ensureWritable() throws IOException {
      checkOpen();
      if (closed) {
        throw new IOException("file " + file.name + " in study " + studyId + ": writer closed");
      }
      if (failed) {
        throw new IOException(
            "file " + file.name + " in study " + studyId + ": an earlier write failed");
      }
    }

    private void seal(boolean last) throws IOException {
      if (segment > MAX_SEGMENTS) {
        failed = true;
        throw new IOException(
            "file "
                + file.name
                + " in study "
                + studyId
                + " exceeds "
                + (MAX_SEGMENTS + 1)
                + " segments");
      }
      try {
        writeFully(sealed, file.seal(segment, last, filled, sealed));
      } catch (InvalidCipherTextException | RuntimeException | IOException e) {
        failed = true;
        throw new IOException(
            "file " + file.name + " in study " + studyId + ": cannot write segment " + segment, e);
      }
      segment++;
      filled = 0;
    }

    private void writeFully(byte[] data, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  private final class Reader extends InputStream implements OpenStream {

    private final FileCipher file;
    private final InputStream in;
    private final byte[] sealed;
    private long segment;
    private int carried = -1;
    private int position;
    private int limit;
    private boolean sawLast;
    private boolean closed;

    Reader(FileCipher file, InputStream in) {
      this.file = file;
      this.in = in;
      this.sealed = new byte[file.segmentSize + TAG_SIZE];
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      checkOpen();
      if (closed) {
        throw new IOException("file " + file.name + " in study " + studyId + ": reader closed");
      }
      if (len == 0) {
        return 0;
      }
      while (position == limit) {
        if (sawLast) {
          return -1;
        }
        nextSegment();
      }
      int n = Math.min(len, limit - position);
      System.arraycopy(file.plain, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public synchronized int available() {
      checkOpen();
      return closed ? 0 : limit - position;
    }

    @Override
    public void close() throws IOException {
      checkOpen();
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        file.wipe();
        Arrays.fill(sealed, (byte) 0);
        try {
          in.close();
        } finally {
          unregister(this, null);
        }
      }
    }

    @Override
    public synchronized void abort() throws IOException {
      closed = true;
      file.wipe();
      Arrays.fill(sealed, (byte) 0);
      in.close();
    }

    private void nextSegment() throws IOException {
      int full = file.segmentSize + TAG_SIZE;
      int have = 0;
      if (carried >= 0) {
        sealed[0] = (byte) carried;
        have = 1;
        carried = -1;
      }
      have += in.readNBytes(sealed, have, full - have);
      boolean last;
      if (have < full) {
        last = true;
      } else {
        carried = in.read();
        last = carried < 0;
      }
      if (have < TAG_SIZE) {
        throw failure(
            "file "
                + file.name
                + " in study "
                + studyId
                + " is truncated: segment "
                + segment
                + " has "
                + have
                + " bytes, fewer than its "
                + TAG_SIZE
                + "-byte tag");
      }
      if (segment > MAX_SEGMENTS) {
        throw failure(
            "file " + file.name + " in study " + studyId + " has more than 2^32 segments");
      }
      try {
        limit = file.open(segment, last, sealed, have);
      } catch (InvalidCipherTextException e) {
        if (last && have == full && opensAsMiddleSegment(have)) {
          throw failure(
              "file "
                  + file.name
                  + " in study "
                  + studyId
                  + " is truncated: it ends after segment "
                  + segment
                  + ", which was not written as the last segment");
        }
        throw failure(
            "segment "
                + segment
                + " of file "
                + file.name
                + " in study "
                + studyId
                + " failed authentication: the file was modified, truncated, had segments"
                + " reordered, or was moved from another file name or study");
      }
      position = 0;
      sawLast = last;
      segment++;
    }

    // Whether the final segment authenticates as a middle one, i.e. the file was cut after it.
    private boolean opensAsMiddleSegment(int length) {
      try {
        file.open(segment, false, sealed, length);
        Arrays.fill(file.plain, (byte) 0);
        return true;
      } catch (InvalidCipherTextException e) {
        return false;
      }
    }

    private IntegrityException failure(String message) {
      return new IntegrityException(studyId, file.name, segment, message);
    }
  }

  /** A deleted file: its UTF-8 path relative to the folder and its size on disk. */
  private record Deleted(byte[] path, long size) {}

  /** Overwrites, deletes and lists everything under the folder, the folder last. */
  private final class Shredder extends SimpleFileVisitor<Path> {

    private final List<Deleted> listing = new ArrayList<>();
    long files;
    long bytes;

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      long size = 0;
      if (attrs.isRegularFile()) {
        size = attrs.size();
        overwrite(file, size);
      }
      Files.delete(file);
      files++;
      bytes += size;
      String relative =
          folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      listing.add(new Deleted(relative.getBytes(StandardCharsets.UTF_8), size));
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
      if (e != null) {
        throw e;
      }
      Files.delete(dir);
      return FileVisitResult.CONTINUE;
    }

    String digest() {
      listing.sort((a, b) -> Arrays.compareUnsigned(a.path(), b.path()));
      MessageDigest sha256;
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 not available", e);
      }
      for (Deleted entry : listing) {
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(entry.path().length).array());
        sha256.update(entry.path());
        sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(entry.size()).array());
      }
      return HexFormat.of().formatHex(sha256.digest());
    }

    private void overwrite(Path file, long size) throws IOException {
      ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        long written = 0;
        while (written < size) {
          zeros.clear();
          zeros.limit((int) Math.min(zeros.capacity(), size - written));
          written += channel.write(zeros, written);
        }
        channel.force(true);
      }
    }
  }
}
