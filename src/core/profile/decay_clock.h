// Exponential time decay with a global time reference, so that decayed sums can be kept
// incrementally (O(1) per event) instead of being re-decayed over the whole history.
//
// An event at time t has, at a later time `now`, the weight 2^(-(now - t)/h) for half-life h.
// Every stored sum in the profile is instead kept at the *reference time* t0:
//   mass(t) = 2^((t - t0)/h)        and      weight_now = mass * 2^(-(now - t0)/h).
// The second factor is the same for every event, so it cancels in every normalised quantity
// (keyword weights w_i = f_i / sum f_j, interest weights, the recency centroid): adding an event
// is one multiply-add, and nothing old is touched when time passes. Masses grow as 2^k after k
// half-lives past t0, so when an event lands more than kRebaseHalfLives past t0 the owner
// multiplies its stored masses by the factor Rebase() returns (O(history), once per 64
// half-lives). Events far older than t0 get masses that underflow to 0: more than ~1000
// half-lives older than the newest event, they are weightless, as they would be anyway.
//
// Times are milliseconds since the Unix epoch (like JS Date.now()), as doubles.
#pragma once

namespace localrec {

class DecayClock {
 public:
  static constexpr double kMsPerDay = 86400000.0;
  // Rebase once t - t0 exceeds this many half-lives (masses stay below 2^64).
  static constexpr double kRebaseHalfLives = 64.0;

  // Throws Error(kInvalidArgument) unless 0 < half_life_days and it is finite.
  explicit DecayClock(double half_life_days);

  double half_life_days() const { return half_life_ms_ / kMsPerDay; }
  double half_life_ms() const { return half_life_ms_; }
  // The reference time t0 (ms); unset until the first event.
  double reference_ms() const { return reference_ms_; }
  bool has_reference() const { return has_reference_; }

  // Sets t0 when there is none yet (the first event's time). Returns true if it was set.
  bool EnsureReference(double time_ms);

  // The stored mass of an event at `time_ms`: 2^((t - t0)/h). Needs a reference.
  double Mass(double time_ms) const;

  // The factor turning stored masses into weights at `now_ms`: 2^(-(now - t0)/h).
  double DecayTo(double now_ms) const;

  // True when an event at `time_ms` is so far past t0 that the owner must Rebase first.
  bool NeedsRebase(double time_ms) const;

  // Moves t0 to `new_reference_ms` and returns the factor 2^(-(new - old)/h) by which the owner
  // must multiply every stored mass (and mass-weighted sum).
  double Rebase(double new_reference_ms);

  // Restores a saved state (persistence). Validates like the constructor; the reference must be
  // finite when `has_reference`.
  void Restore(bool has_reference, double reference_ms);

  void Reset() {
    has_reference_ = false;
    reference_ms_ = 0;
  }

 private:
  double half_life_ms_;
  double reference_ms_ = 0;
  bool has_reference_ = false;
};

// Posts and feedback may be dated at most this far after "now" (clock skew between devices, time
// zones done wrong); anything later is a typo or a bug and would dominate the profile (issue 14:
// one post dated year 3000 weighed every other post to 0).
constexpr double kMaxFutureMs = DecayClock::kMsPerDay;

// The system clock in ms since 1970 (in wasm: JS Date.now()).
double SystemNowMs();

// Checks CheckTime(time_ms) and that `time_ms` <= now_ms + kMaxFutureMs. Throws
// Error(kInvalidArgument) naming `what` otherwise.
void CheckEventTime(double time_ms, double now_ms, const char* what);

// Checks that `time_ms` is a usable event time (finite; within +-1e15 ms, i.e. +-31,000 years
// of 1970, so that differences stay exact in a double). Throws Error(kInvalidArgument) naming
// `what` otherwise.
void CheckTime(double time_ms, const char* what);

}  // namespace localrec
