package io.cleanroom.node.model;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.model.TrainingParameters;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * The secure training as a Tribuo {@link Trainer}: {@link #train} runs {@link
 * SecureLogisticRegression} with the other banks over this bank's rows (the dataset), and returns
 * the joint model as a Tribuo model whose provenance names this trainer, its parameters, the study
 * and every bank's data digest. Usable once per study: the protocol run is bound to it.
 */
public final class SecureLogisticTrainer implements Trainer<Label> {

  @Config(description = "the study the training runs in")
  private String study;

  @Config(description = "number of passes over the rows")
  private int epochs;

  @Config(description = "rows per gradient step, over all banks")
  private int batchSize;

  @Config(description = "gradient step size")
  private double learningRate;

  @Config(description = "L2 regularisation of every weight but the intercept")
  private double l2;

  @Config(description = "standardised features are clipped to plus or minus this")
  private double winsorize;

  @Config(description = "fixed-point fraction bits of the shares")
  private int fractionBits;

  private final Function<Dataset<Label>, LogisticModel> protocol;
  private final Map<String, String> facts;
  private int invocations;

  /** For OLCUT configuration only; such a trainer cannot train. */
  @SuppressWarnings("unused")
  private SecureLogisticTrainer() {
    this.protocol = null;
    this.facts = Map.of();
  }

  /**
   * @param protocol runs the secure training over the dataset's rows and returns the opened model
   * @param facts provenance to record with the model (study, data digests, protocol)
   */
  SecureLogisticTrainer(
      String study,
      TrainingParameters p,
      int fractionBits,
      Function<Dataset<Label>, LogisticModel> protocol,
      Map<String, String> facts) {
    this.study = study;
    this.epochs = p.epochs();
    this.batchSize = p.batchSize();
    this.learningRate = p.learningRate();
    this.l2 = p.l2();
    this.winsorize = p.winsorize();
    this.fractionBits = fractionBits;
    this.protocol = protocol;
    this.facts = Map.copyOf(facts);
  }

  @Override
  public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
    return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
  }

  @Override
  public synchronized Model<Label> train(
      Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
    if (protocol == null) {
      throw new IllegalStateException("this trainer is not bound to a study");
    }
    if (invocations > 0) {
      throw new IllegalStateException("the secure training of study " + study + " already ran");
    }
    invocations++;
    LogisticModel model = protocol.apply(examples);
    return model.toTribuo(
        "cleanroom-joint-model", examples.getProvenance(), getProvenance(), facts);
  }

  @Override
  public int getInvocationCount() {
    return invocations;
  }

  @Override
  public TrainerProvenance getProvenance() {
    return new TrainerProvenanceImpl(this);
  }

  @Override
  public String toString() {
    return "SecureLogisticTrainer(study=" + study + ", epochs=" + epochs + ")";
  }
}
