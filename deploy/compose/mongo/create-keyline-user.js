// Runs once, when the mongo-data volume is empty (the image's /docker-entrypoint-initdb.d): gives Keyline its own
// user that can read and write only its database, so Keyline never holds the root password.
const password = process.env.MONGO_KEYLINE_PASSWORD;
if (!password) {
  throw new Error("MONGO_KEYLINE_PASSWORD is not set");
}
db.getSiblingDB("keyline").createUser({
  user: "keyline",
  pwd: password,
  roles: [{ role: "readWrite", db: "keyline" }],
});
