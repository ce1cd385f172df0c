/**
 * A deterministic synthetic event stream for demos, benchmarks and determinism tests: realistic background
 * traffic (payments, orders, executions, account openings) with planted instances of every built-in typology,
 * each recorded with the alert it must raise. See {@link io.txmon.scenario.ScenarioGenerator}.
 */
package io.txmon.scenario;
