"""Events: triggers frame by frame, the events they make, their actors and status,
their place and time within the document, and the harm they did."""
