"""Pure channel code: how one message reads on each channel, and the senders (no model)."""
