/**
 * Reading a bank's own data: the CSV files named by {@link io.cleanroom.node.data.BankFile}, parsed
 * by a small streaming RFC 4180 {@link io.cleanroom.node.data.CsvReader}, or the same tables in a
 * database ({@link io.cleanroom.node.data.JdbcSource}), validated alike and held in memory as
 * {@link io.cleanroom.node.data.BankData}, and summarised for a study by {@link
 * io.cleanroom.node.data.BankFolder}.
 *
 * <p>Everything here runs inside one bank's node on that bank's plaintext data, so error messages
 * name files, lines and fields but quote only values that are not personal data.
 */
package io.cleanroom.node.data;
