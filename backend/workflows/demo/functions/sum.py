def handler(event, context):
    """The ASW tutorial's function: the sum of event["values"]."""
    return sum(event["values"])
