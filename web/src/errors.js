// Errors raised by the JS layer carry a `code` like the core's (README, "Errors"), so callers can
// branch on `e.code` whichever layer refused the input.

/** An Error of class `Type` (TypeError, RangeError, Error) with `code` set. */
export function codedError(Type, message, code = 'InvalidArgument') {
  const error = new Type(message);
  error.code = code;
  return error;
}
