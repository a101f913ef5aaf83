#pragma once
// ISO 22400-2 time elements and quantities of one work unit over one period (standards.md §5.1).
// Everything here is additive, so units, shifts and days aggregate with +=.

namespace strata::kpi {

// Seconds. The derived elements are functions, not fields, so their identities can never drift.
struct TimeElements {
  double pot = 0.0;   // planned operation time: inside a planned operation window (shift)
  double pdot = 0.0;  // planned down time inside POT: breaks, planned maintenance
  double apt = 0.0;   // actual production time: producing (Execute in Production mode by default)
  double asut = 0.0;  // actual unit setup time: setup / changeover
  double adet = 0.0;  // actual unit delay time: malfunctions, minor stops, starved/blocked
  double adot = 0.0;  // actual unit down time: available but not producing
  double aoet = 0.0;  // actual order execution time
  // Inside PBT but in no category (Undefined state, or no state known yet). Not an ISO element;
  // kept so that PDOT + APT + ASUT + ADET + ADOT + not_counted == POT always holds and gaps stay visible.
  double not_counted = 0.0;

  [[nodiscard]] double pbt() const { return pot - pdot; }      // planned busy time
  [[nodiscard]] double aupt() const { return apt + asut; }     // actual unit processing time
  [[nodiscard]] double aubt() const { return aupt() + adet; }  // actual unit busy time (§5.1 [INF])

  TimeElements& operator+=(const TimeElements& other);
  friend bool operator==(const TimeElements&, const TimeElements&) = default;
};
[[nodiscard]] TimeElements operator+(TimeElements a, const TimeElements& b);

// Units of the product (pieces, kg, litres...), hence double.
struct Quantities {
  double pq = 0.0;  // produced quantity
  double gq = 0.0;  // good quantity
  double sq = 0.0;  // scrap quantity
  double rq = 0.0;  // rework quantity

  Quantities& operator+=(const Quantities& other);
  friend bool operator==(const Quantities&, const Quantities&) = default;
};
[[nodiscard]] Quantities operator+(Quantities a, const Quantities& b);

// PRU, the planned run time per unit (ideal cycle time), in seconds, is passed next to Quantities
// rather than inside it because it is not additive: when aggregating units or products with different
// PRUs, use the PQ-weighted mean (Σ PRU_i × PQ_i / Σ PQ_i) so that PRU × PQ stays the ideal run time.
[[nodiscard]] double weighted_pru(double pru_a, double pq_a, double pru_b, double pq_b);

}  // namespace strata::kpi
