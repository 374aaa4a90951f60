package dev.keyline.platform.iam;

import dev.keyline.platform.directory.CursorCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Keys the directory's cursor codec from the IAM API's settings, so {@code directory} needs no {@code iam} type. */
@ApplicationScoped
class CursorCodecProducer {

    @Produces
    @Singleton
    CursorCodec cursorCodec(IamConfig config) {
        return new CursorCodec(config.cursorKey());
    }
}
