-- When the author's client says a message was written (it may have waited offline before it was sent);
-- null when the client did not say. Never later than created_at: the server stores the earlier of the two.
ALTER TABLE messages ADD COLUMN written_at timestamptz;
