def handler(event, context):
    """Hands a callback task's token to the outside world (here: the function's log).

    The execution waits until someone calls SendTaskSuccess or SendTaskFailure with it.
    """
    print(f"task token: {event['token']}")
    return {"notified": True}
