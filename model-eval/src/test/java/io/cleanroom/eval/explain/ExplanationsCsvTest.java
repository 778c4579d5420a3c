package io.cleanroom.eval.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationsCsvTest {

  @Test
  void writesFlaggedAccounts_byScore(@TempDir Path dir) throws Exception {
    FeatureRows rows =
        new FeatureRows(
            Synthetic.FEATURES,
            List.of("low", "high, quoted", "mid"),
            new double[][] {{9, 0.4, 0.3, 0.05}, {15, 0.95, 0.0, 0.4}, {13, 0.8, 0.3, 0.05}},
            new int[] {0, 1, 0});
    ScoredRows scored =
        ScoredRows.score(
            Synthetic.model(),
            rows,
            Collections.nCopies(3, new Demographics("F", null, "TW", null)));
    Path file = dir.resolve("explanations/bank-a.csv");
    DecisionExplainer explainer =
        new DecisionExplainer(Synthetic.model(), ReasonTexts.standard(), 4);

    int flagged = ExplanationsCsv.write(file, explainer, scored, scored.scores()[2]);

    assertEquals(2, flagged);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(ExplanationsCsv.HEADER, lines.get(0));
    assertTrue(lines.get(1).startsWith("\"high, quoted\","), lines.get(1));
    assertTrue(lines.get(1).contains(",1,linked_risk,"), lines.get(1));
    assertTrue(
        lines
            .get(1)
            .endsWith(",與警示帳戶有資金往來或身分關聯,Linked by transfers or shared identity to alert accounts"),
        lines.get(1));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("low,")));
    assertTrue(lines.get(lines.size() - 1).startsWith("mid,"));
  }
}
