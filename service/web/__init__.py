"""The staff's web pages: the list of documents to issue and the form of each."""
