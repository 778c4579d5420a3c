package io.cleanroom.eval.rows;

import java.time.LocalDate;

/**
 * An account holder's protected attributes, from the bank's customers file: gender ({@code F},
 * {@code M} or {@code X}), birth date, nationality (ISO 3166 alpha-2) and region. Any of them may
 * be null when the bank does not hold it; region is optional in the data format.
 */
public record Demographics(String gender, LocalDate birthDate, String nationality, String region) {}
