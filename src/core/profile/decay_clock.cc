#include "core/profile/decay_clock.h"

#include <chrono>
#include <cmath>
#include <string>

#include "core/common/error.h"

namespace localrec {

namespace {
constexpr double kMaxAbsTimeMs = 1e15;
}  // namespace

void CheckTime(double time_ms, const char* what) {
  if (!std::isfinite(time_ms) || std::fabs(time_ms) > kMaxAbsTimeMs) {
    throw Error(ErrorCode::kInvalidArgument,
                std::string(what) + " must be a finite time in milliseconds since 1970 (got " +
                    std::to_string(time_ms) + ")");
  }
}

double SystemNowMs() {
  using std::chrono::duration;
  using std::chrono::system_clock;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

void CheckEventTime(double time_ms, double now_ms, const char* what) {
  CheckTime(time_ms, what);
  CheckTime(now_ms, "now");
  if (time_ms > now_ms + kMaxFutureMs) {
    throw Error(ErrorCode::kInvalidArgument,
                std::string(what) + " is more than a day after now (" +
                    std::to_string(time_ms) + " ms > " + std::to_string(now_ms) +
                    " ms + 1 day): times must be ms since 1970, not in the future");
  }
}

DecayClock::DecayClock(double half_life_days) {
  // Upper bound: 1e6 days (2,700 years) is "no decay" for any practical purpose, and keeps the
  // half-life in milliseconds far from overflow.
  if (!std::isfinite(half_life_days) || half_life_days <= 0 || half_life_days > 1e6) {
    throw Error(ErrorCode::kInvalidArgument,
                "half-life must be a number of days in (0, 1e6] (got " +
                    std::to_string(half_life_days) + ")");
  }
  half_life_ms_ = half_life_days * kMsPerDay;
}

bool DecayClock::EnsureReference(double time_ms) {
  if (has_reference_) return false;
  reference_ms_ = time_ms;
  has_reference_ = true;
  return true;
}

double DecayClock::Mass(double time_ms) const {
  return std::exp2((time_ms - reference_ms_) / half_life_ms_);
}

double DecayClock::DecayTo(double now_ms) const {
  return std::exp2(-(now_ms - reference_ms_) / half_life_ms_);
}

bool DecayClock::NeedsRebase(double time_ms) const {
  return has_reference_ && (time_ms - reference_ms_) > kRebaseHalfLives * half_life_ms_;
}

double DecayClock::Rebase(double new_reference_ms) {
  const double factor = std::exp2(-(new_reference_ms - reference_ms_) / half_life_ms_);
  reference_ms_ = new_reference_ms;
  has_reference_ = true;
  return factor;
}

void DecayClock::Restore(bool has_reference, double reference_ms) {
  if (has_reference) CheckTime(reference_ms, "profile reference time");
  has_reference_ = has_reference;
  reference_ms_ = has_reference ? reference_ms : 0;
}

}  // namespace localrec
