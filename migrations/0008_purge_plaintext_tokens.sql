-- Verification and reset events used to carry the plaintext token in their
-- payload; they now carry only a token id. Remove the tokens kept so far: an
-- email not yet sent for such an event goes out without a link (the user asks
-- for a new one), and no stored row holds a usable token any more.
UPDATE "outbox_events" SET "payload" = "payload" - 'token'
WHERE "type" IN ('auth.verify_email', 'auth.password_reset_requested') AND "payload" ? 'token';
