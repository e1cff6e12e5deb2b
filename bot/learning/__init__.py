"""The learning loop: moderators' corrections fine-tune the reader behind an evaluation gate."""
