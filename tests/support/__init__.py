"""What the tests share: factories, fake and real servers, PostgreSQL clusters, golden digests."""
