"""Every write of the early-warning system; the outermost caller owns the transaction."""
