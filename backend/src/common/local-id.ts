/** Client-chosen ids (localId, streamId): what fits the 64-character columns, printable ASCII so they stay loggable. */
export const LOCAL_ID_PATTERN = /^[\x21-\x7e]+$/;
export const LOCAL_ID_RULE = {
  max: 64,
  pattern: LOCAL_ID_PATTERN,
  patternMessage: 'must be printable ASCII without spaces',
};
