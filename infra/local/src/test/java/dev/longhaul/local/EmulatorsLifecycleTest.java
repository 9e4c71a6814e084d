package dev.longhaul.local;

/** The end-to-end suite on the in-process emulators: nothing is skipped. */
class EmulatorsLifecycleTest extends LifecycleSuite {

    @Override
    LocalCloud cloud() {
        return TestClouds.longhaul();
    }

    @Override
    String noPresignedUrlValidation() {
        return null;
    }

    @Override
    String noTimeToLive() {
        return null;
    }
}
