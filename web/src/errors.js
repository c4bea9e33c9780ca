// Errors raised by the JS layer carry a `code` like the core's (README, "Errors"), so callers can
// branch on `e.code` whichever layer refused the input.

/** An Error of class `Type` (TypeError, RangeError, Error) with `code` set. */
export function codedError(Type, message, code = 'InvalidArgument') {
  const error = new Type(message);
  error.code = code;
  return error;
}

/**
 * Throws InvalidUtf8 when `s` holds a lone UTF-16 surrogate. Embind's UTF-8 conversion would
 * merge it with the next character, so 'x\uD800a' and 'x\uDC00a' became the same id (issue 14).
 */
export function checkWellFormed(s, what) {
  if (!s.isWellFormed()) throw codedError(TypeError, `localrec: ${what} contains a lone UTF-16 surrogate`, 'InvalidUtf8');
  return s;
}
