/**
 * The study's governance report: {@code report.json}, a machine-readable record with a stable,
 * versioned schema ({@link io.cleanroom.eval.report.ReportJson}), its SHA-256 digest for the
 * protocol log, and {@code report.html}, one self-contained page for people ({@link
 * io.cleanroom.eval.report.ReportHtml}). Both are written from the in-memory evidence and the
 * policy's assessment ({@link io.cleanroom.eval.report.GovernanceReport}).
 */
package io.cleanroom.eval.report;
