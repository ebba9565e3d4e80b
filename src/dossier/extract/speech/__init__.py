"""Speech: quotes, who speaks them, and the claims and denials they carry."""
