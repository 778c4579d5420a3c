package io.cleanroom.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkFolderTest {

  @TempDir Path temp;

  @Test
  void open_removesWhatAnEarlierProcessLeft_andKeepsReleasedOutputs() throws Exception {
    Path root = temp.resolve("work");
    try (WorkFolder work = WorkFolder.open(root)) {
      SessionStore store = SessionStore.create(work.sessions(), "st-1");
      store.write("handles", new byte[100]);
      Files.createDirectories(work.staging("st-1").resolve("risk"));
      Files.writeString(work.staging("st-1").resolve("risk/bank-a.csv"), "partial");
      Files.createDirectories(work.outputs("st-0"));
      Files.writeString(work.outputs("st-0").resolve("kept.csv"), "kept");
      // the process ends here without destroying the store or discarding the staged outputs
    }
    try (WorkFolder work = WorkFolder.open(root)) {
      assertFalse(Files.exists(work.sessions().resolve("st-1")));
      assertFalse(Files.exists(work.staging("st-1")));
      assertEquals("kept", Files.readString(work.outputs("st-0").resolve("kept.csv")));
    }
    assertFalse(Files.exists(root.resolve(WorkFolder.LOCK)));
  }

  @Test
  void open_refusesAFolderInUse() throws Exception {
    try (WorkFolder work = WorkFolder.open(temp)) {
      IOException e = assertThrows(IOException.class, () -> WorkFolder.open(temp));
      assertTrue(e.getMessage().contains("in use by another node process"), e.getMessage());
    }
  }

  @Test
  void release_movesTheStagedOutputs_once() throws Exception {
    try (WorkFolder work = WorkFolder.open(temp)) {
      assertEquals(List.of(), work.release("st-empty"));
      Files.createDirectories(work.staging("st-1").resolve("model/tribuo"));
      Files.writeString(work.staging("st-1").resolve("risk.csv"), "r");
      Files.writeString(work.staging("st-1").resolve("model/tribuo/bank-a.tribuo"), "m");
      assertEquals(
          List.of(Path.of("model/tribuo/bank-a.tribuo"), Path.of("risk.csv")),
          work.release("st-1"));
      assertFalse(Files.exists(work.staging("st-1")));
      assertEquals("r", Files.readString(work.outputs("st-1").resolve("risk.csv")));

      Files.createDirectories(work.staging("st-1"));
      assertThrows(FileAlreadyExistsException.class, () -> work.release("st-1"));
    }
  }

  @Test
  void discard_deletesTheStagedOutputs() throws Exception {
    try (WorkFolder work = WorkFolder.open(temp)) {
      Files.createDirectories(work.staging("st-1").resolve("risk"));
      Files.writeString(work.staging("st-1").resolve("risk/bank-a.csv"), "partial");
      work.discard("st-1");
      assertFalse(Files.exists(work.staging("st-1")));
      work.discard("st-1");
    }
  }
}
