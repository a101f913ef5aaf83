#include "kpi/time_elements.hpp"

namespace strata::kpi {

TimeElements& TimeElements::operator+=(const TimeElements& other) {
  pot += other.pot;
  pdot += other.pdot;
  apt += other.apt;
  asut += other.asut;
  adet += other.adet;
  adot += other.adot;
  aoet += other.aoet;
  not_counted += other.not_counted;
  return *this;
}

TimeElements operator+(TimeElements a, const TimeElements& b) {
  a += b;
  return a;
}

Quantities& Quantities::operator+=(const Quantities& other) {
  pq += other.pq;
  gq += other.gq;
  sq += other.sq;
  rq += other.rq;
  return *this;
}

Quantities operator+(Quantities a, const Quantities& b) {
  a += b;
  return a;
}

double weighted_pru(double pru_a, double pq_a, double pru_b, double pq_b) {
  const double pq = pq_a + pq_b;
  if (!(pq > 0.0)) {
    return 0.0;  // nothing produced: no PRU × PQ to preserve, and Effectiveness is undefined anyway
  }
  return (pru_a * pq_a + pru_b * pq_b) / pq;
}

}  // namespace strata::kpi
