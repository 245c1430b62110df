package org.flashflow.torctl.model;

/** The outcome of one asynchronous tor command, delivered on the loop. */
public interface TorCallback<T> {
  void onSuccess(T result);

  void onError(TorFailure failure);
}
