/**
 * A deterministic synthetic event stream for demos, benchmarks, determinism tests and detection measurements:
 * background traffic with planted instances of every built-in typology, each recorded with the alert it must raise
 * and every event it consists of. Two backgrounds: random mixed traffic of payments, accounts and markets (the
 * default), and a retail bank simulated over months ({@code BankingTraffic}) whose regular flows raise the false
 * positives real banks see. {@link io.txmon.scenario.ScenarioLabels} writes the planted events as labels for
 * {@code txmon replay --labels}. See {@link io.txmon.scenario.ScenarioGenerator}.
 */
package io.txmon.scenario;
