FROM python:3.13-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# The same script the tests run before they serve pages with DEBUG off (tests/evalportal/test_production.py).
RUN scripts/collectstatic.sh \
 && useradd --system --home /app evalportal && mkdir -p var && chown -R evalportal var
USER evalportal
EXPOSE 8000
CMD ["gunicorn", "evalportal.wsgi", "-c", "gunicorn.conf.py"]
