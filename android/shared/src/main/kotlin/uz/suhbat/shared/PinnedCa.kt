package uz.suhbat.shared

import java.security.KeyStore
import java.security.cert.CertificateFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * TLS to the hub trusting only the hub's own authority certificate (its `ca.pem`, kept with the
 * store at enrolment), never the phone's public CAs. Host names are still checked: the hub's
 * server certificate names its addresses.
 */
object PinnedCa {
    /** A trust manager whose only anchor is the certificate in [caPem]. */
    fun trustManager(caPem: String): X509TrustManager {
        val certificate = CertificateFactory.getInstance("X.509").generateCertificate(caPem.byteInputStream())
        val anchors = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
            load(null, null)
            setCertificateEntry("suhbat-hub-authority", certificate)
        }
        val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(anchors) }
        return factory.trustManagers.filterIsInstance<X509TrustManager>().single()
    }

    /** A TLS context that trusts only [trustManager]'s anchor. */
    fun sslContext(trustManager: X509TrustManager): SSLContext =
        SSLContext.getInstance("TLS").apply { init(null, arrayOf(trustManager), null) }
}
